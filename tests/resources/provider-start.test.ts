// The provider's own start: what the engine's dynamic-provider host loads when a shim first
// requires the implementation. Every no-change preview pays it and calls no Graph, so the SDKs wait
// for the first Graph call (docs/performance.md, engine overhead).
import { spawnSync } from "node:child_process";
import { expect } from "chai";
import { projectRoot } from "../support/engine";

describe("provider start", () => {
  it("requiring the providers loads neither the Graph SDK, @azure/identity nor node-forge", () => {
    const script = `
      require("pulumi-entra-nudge/internal/providers");
      const loaded = Object.keys(require.cache);
      process.stdout.write(JSON.stringify(
        ["@microsoft/microsoft-graph-client", "@azure/identity", "node-forge"]
          .filter((name) => loaded.some((file) => file.includes("/node_modules/" + name + "/")))));`;
    const child = spawnSync(process.execPath, ["-e", script], {
      cwd: projectRoot,
      encoding: "utf8",
    });
    expect(child.status, child.stderr).to.equal(0);
    expect(JSON.parse(child.stdout)).to.deep.equal([]);
  });
});
