// Microsoft's own request examples as a peer suite: each file in tests/fixtures/microsoft-examples
// is one example from a Graph reference page (the page, the date it was read, the request and the
// documented status and response shape: property names and JSON types, no prose), replayed over
// HTTPS against the emulator as the writer app. The emulator must answer the documented status
// and a response with every documented property, of the documented type. Where a page's example
// contradicts the contract files, the page wins (docs/emulator.md, "Microsoft's examples").
//
// Example ids are the page's (a GUID, or a placeholder such as {group-id}); the file's `ids` maps
// each to an object of the emulator's default tenant, "group:<mailNickname>" or "user:<UPN>",
// resolved through Graph before the replay and substituted in the URL and body.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { projectRoot } from "../support/engine";
import { getToken, rawRequest, useEmulator } from "../support/emulator";

/** A JSON type ("string", "number", "boolean", "null", or alternatives: "string|null"), a list, an object. */
type Shape = string | Shape[] | { [name: string]: Shape };

export interface MicrosoftExample {
  /** The reference page, e.g. api-reference/v1.0/api/group-post-members.md. */
  page: string;
  repository: string;
  /** The stored commit of the page, or the Microsoft Learn URL it was read from. */
  commit?: string;
  url?: string;
  /** The date the page was read (YYYY-MM-DD). */
  read: string;
  /** The example's name on the page (its "request" block). */
  example: string;
  /** Where the replay departs from the page, and why (a placeholder the page left, say). */
  substitutions?: Record<string, string>;
  /** Errors of the page's example that the shape below leaves out, and why. */
  pageErrors?: Record<string, string>;
  ids?: Record<string, string>;
  /** The app that replays it (default "writer"; "reader" for what reading apps call). */
  app?: string;
  request: { method: string; url: string; body?: unknown };
  response: { status: number; shape?: Shape };
}

const DIR = path.join(projectRoot, "tests", "fixtures", "microsoft-examples");

export function microsoftExamples(): { file: string; example: MicrosoftExample }[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({
      file,
      example: JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8")) as MicrosoftExample,
    }));
}

/** Where `actual` lacks a documented property or has it with another type; [] when it conforms. */
export function shapeProblems(shape: Shape, actual: unknown, at = "$"): string[] {
  if (Array.isArray(shape)) {
    if (!Array.isArray(actual)) return [`${at}: documented an array, got ${typeOf(actual)}`];
    // An empty documented array says only "an array"; otherwise every item has the item's shape.
    return shape.length === 0
      ? []
      : actual.flatMap((item, i) => shapeProblems(shape[0], item, `${at}[${i}]`));
  }
  if (typeof shape === "object") {
    if (typeOf(actual) !== "object") return [`${at}: documented an object, got ${typeOf(actual)}`];
    const record = actual as Record<string, unknown>;
    return Object.entries(shape).flatMap(([name, inner]) =>
      name in record
        ? shapeProblems(inner, record[name], `${at}.${name}`)
        : [`${at}.${name}: documented, missing`],
    );
  }
  return shape.split("|").includes(typeOf(actual))
    ? []
    : [`${at}: documented ${shape}, got ${typeOf(actual)}`];
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

describe("Microsoft's examples against the emulator (tests/fixtures/microsoft-examples)", function () {
  this.timeout(30_000);
  const emulator = useEmulator();
  let token: string;
  const tokens = new Map<string, string>();
  before(async () => {
    token = await getToken(emulator, "writer");
    for (const app of ["writer", "reader"]) tokens.set(app, await getToken(emulator, app));
  });
  beforeEach(() => emulator.reset());

  /** The tenant object an `ids` entry names, as its object id. */
  async function resolve(reference: string): Promise<string> {
    const [kind, name] = [
      reference.slice(0, reference.indexOf(":")),
      reference.slice(reference.indexOf(":") + 1),
    ];
    const url =
      kind === "group"
        ? `/v1.0/groups?$filter=${encodeURIComponent(`mailNickname eq '${name}'`)}&$select=id`
        : `/v1.0/users/${encodeURIComponent(name)}?$select=id`;
    const answer = await rawRequest(emulator, { path: url, token });
    expect(answer.status, `${reference}: ${answer.text}`).to.equal(200);
    const json = answer.json as { id?: string; value?: { id: string }[] };
    const id = kind === "group" ? json.value?.[0]?.id : json.id;
    if (!id) throw new Error(`The emulator's tenant has no ${reference}.`);
    return id;
  }

  const examples = microsoftExamples();

  it("every example names its page, the date it was read and where it was read", () => {
    expect(examples.length).to.be.at.least(16);
    for (const { file, example } of examples) {
      expect(example.page, file).to.match(/^api-reference\/(v1\.0|beta)\/api\/[a-z0-9-]+\.md$/);
      expect(example.read, file).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(example.commit ?? example.url, file).to.be.a("string");
      // The version in the URL is the page's.
      expect(example.request.url.split("/")[1], file).to.equal(example.page.split("/")[1]);
    }
  });

  for (const { file, example } of examples) {
    it(`${example.request.method} ${example.request.url} (${file}): ${example.response.status}${example.response.shape ? " and the documented shape" : ""}`, async () => {
      let text = JSON.stringify({ url: example.request.url, body: example.request.body });
      for (const [documented, reference] of Object.entries(example.ids ?? {}))
        text = text.split(documented).join(await resolve(reference));
      const { url, body } = JSON.parse(text) as { url: string; body?: unknown };
      const answer = await rawRequest(emulator, {
        method: example.request.method,
        path: url,
        token: tokens.get(example.app ?? "writer"),
        body,
      });
      expect(answer.status, answer.text).to.equal(example.response.status);
      const shape = example.response.shape;
      if (shape) expect(shapeProblems(shape, answer.json)).to.deep.equal([]);
      // A documented item shape is checked on at least one item, never on an empty collection.
      if (typeof shape === "object" && !Array.isArray(shape) && Array.isArray(shape.value))
        expect((answer.json as { value: unknown[] }).value.length).to.be.greaterThan(0);
    });
  }

  it("the shape check can fail: a missing property and a wrong type are named", () => {
    expect(
      shapeProblems(
        { id: "string", keyRestrictions: { aaGuids: [] }, n: "number" },
        {
          id: 1,
          n: 2,
        },
      ),
    ).to.deep.equal([
      "$.id: documented string, got number",
      "$.keyRestrictions: documented, missing",
    ]);
    expect(shapeProblems([{ id: "string" }], [{ id: "a" }, { id: null }])).to.deep.equal([
      "$[1].id: documented string, got null",
    ]);
  });
});
