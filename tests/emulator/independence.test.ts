// The emulator is the independent witness the product is tested against (DESIGN.md, issue 14): no
// file under emulator/ may import the product's code, directly or through another module.
import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, ext));
    else if (name.endsWith(ext)) out.push(full);
  }
  return out;
}

/** Module specifiers of import/export/require statements. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm,
  ))
    found.push(m[1]);
  return found;
}

describe("emulator: independent of the product (nothing under emulator/ imports provider/)", () => {
  it("no source file under emulator/ names provider/ or the package's own entry points", () => {
    const offending: string[] = [];
    for (const file of filesUnder(path.join(ROOT, "emulator"), ".ts")) {
      for (const spec of specifiers(readFileSync(file, "utf8"))) {
        const resolved = spec.startsWith(".") ? path.resolve(path.dirname(file), spec) : spec;
        const product =
          resolved.startsWith(path.join(ROOT, "provider")) ||
          /^pulumi-entra-nudge(\/(?!emulator)|$)/.test(spec);
        if (product) offending.push(`${path.relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(offending).to.deep.equal([]);
  });

  it("the compiled emulator loads no module of the compiled provider", () => {
    // Follow the require graph from the shipped entry point through the compiled files.
    const dist = path.join(ROOT, "dist");
    const seen = new Set<string>();
    const queue = [path.join(dist, "emulator", "index.js")];
    const offending: string[] = [];
    while (queue.length) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of specifiers(readFileSync(file, "utf8"))) {
        if (!spec.startsWith(".")) continue;
        let target = path.resolve(path.dirname(file), spec);
        if (!target.endsWith(".js")) target += ".js";
        if (target.startsWith(path.join(dist, "provider")))
          offending.push(`${path.relative(dist, file)} requires ${spec}`);
        else queue.push(target);
      }
    }
    expect(seen.size).to.be.greaterThan(10);
    expect(offending).to.deep.equal([]);
  });
});
