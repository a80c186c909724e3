// Reading CI workflow files the way the CI-template and fleet tests both need: YAML documents,
// their shell steps, the `entra-nudge` calls in them, and `${{ context.NAME }}` references.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { load } from "js-yaml";
import { entraNudge } from "./cli";

export type Yaml = Record<string, unknown>;

export function readYaml(dir: string, file: string): { text: string; document: Yaml } {
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const document = load(text) as Yaml;
  expect(document, `${file} is a YAML mapping`).to.be.an("object");
  return { text, document };
}

/** Every shell script of a document: GitHub `run:`, Azure DevOps `script:` and `inlineScript:`. */
export function scripts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(scripts);
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    ["run", "script", "inlineScript"].includes(key) && typeof value === "string"
      ? [value]
      : scripts(value),
  );
}

/** `entra-nudge <command> --option ...` calls, with line continuations joined. */
export function invocations(script: string): { command: string; options: string[] }[] {
  const joined = script.replace(/\\\r?\n/g, " ");
  return [...joined.matchAll(/\bentra-nudge\s+([a-z][a-z-]*)([^\n|;&>]*)/g)].map((match) => ({
    command: match[1],
    options: [...match[2].matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((option) => option[1]),
  }));
}

const helpCache = new Map<string, Promise<{ code: number; stdout: string }>>();
function help(command: string) {
  if (!helpCache.has(command)) helpCache.set(command, entraNudge([command, "--help"], {}));
  return helpCache.get(command) as Promise<{ code: number; stdout: string }>;
}

/** Every `entra-nudge` call of a document is a command whose --help lists each option used. */
export async function expectCommandsExist(file: string, document: Yaml): Promise<string[]> {
  const calls = scripts(document).flatMap(invocations);
  for (const call of calls) {
    const usage = await help(call.command);
    expect(usage.code, `${file}: \`entra-nudge ${call.command}\` is a command`).to.equal(0);
    for (const option of call.options) {
      expect(usage.stdout, `${file}: \`entra-nudge ${call.command} ${option}\``).to.match(
        new RegExp(`${option}\\b`),
      );
    }
  }
  return calls.map((call) => call.command);
}

/** `${{ <context>.NAME }}` references in a text. */
export function references(text: string, context: string): string[] {
  return [
    ...text.matchAll(new RegExp(`\\$\\{\\{[^}]*\\b${context}\\.([A-Za-z_][\\w-]*)`, "g")),
  ].map((match) => match[1]);
}
