// Helpers for the model tests: chai's expect, fixture files, and the Graph schema subset as data.
import * as fs from "node:fs";
import * as path from "node:path";

export { expect } from "chai";

// dist/tests/model → the repository's tests/fixtures/model (fixtures are data, not compiled).
const FIXTURES = path.resolve(__dirname, "..", "..", "..", "tests", "fixtures", "model");

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as T;
}

export const G1 = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";
export const G2 = "dad4ae4a-730c-4e52-826c-0d9094971f04";
export const G3 = "5f2b8c61-1d3e-4a7b-9c0d-2e4f6a8b0c1d";
export const U1 = "1b3c5e7a-0000-4000-8000-00000000000b";

export interface SchemaType {
  properties: Set<string>;
  enumMembers: Set<string>;
}

/** Types of the v1.0 CSDL subset: properties (including inherited ones) or enum members. */
export function v1Schema(): Map<string, SchemaType> {
  const xml = fs.readFileSync(path.join(FIXTURES, "graph-schema", "v1.0-subset.csdl.xml"), "utf8");
  const raw = new Map<string, { base?: string; properties: string[]; members: string[] }>();
  const typePattern = /<(EntityType|ComplexType|EnumType) Name="(\w+)"([^>]*)>([\s\S]*?)<\/\1>/g;
  for (const match of xml.matchAll(typePattern)) {
    const base = /BaseType="graph\.(\w+)"/.exec(match[3])?.[1];
    const properties = [...match[4].matchAll(/<(?:Navigation)?Property Name="(\w+)"/g)].map(
      (m) => m[1],
    );
    const members = [...match[4].matchAll(/<Member Name="(\w+)"/g)].map((m) => m[1]);
    raw.set(match[2], { base, properties, members });
  }
  const resolved = new Map<string, SchemaType>();
  for (const name of raw.keys()) {
    const properties = new Set<string>();
    for (
      let current = raw.get(name);
      current !== undefined;
      current = current.base ? raw.get(current.base) : undefined
    ) {
      current.properties.forEach((property) => properties.add(property));
    }
    resolved.set(name, { properties, enumMembers: new Set(raw.get(name)?.members ?? []) });
  }
  return resolved;
}

interface BetaProperties {
  types: Record<string, string[] | { properties: string[]; navigationProperties: string[] }>;
}

/** Property names per beta type (own properties only, as the data file lists them) or enum members. */
export function betaSchema(): Map<string, Set<string>> {
  const data = fixture<BetaProperties>("graph-schema/beta-properties.json");
  return new Map(
    Object.entries(data.types).map(([name, value]) => [
      name,
      new Set(Array.isArray(value) ? value : [...value.properties, ...value.navigationProperties]),
    ]),
  );
}
