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
