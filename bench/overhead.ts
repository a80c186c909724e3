// Part 2: what the engine and the dynamic provider cost a preview. The seed scenario's no-change
// preview against an empty program's preview (same engine, same run, alternating), the dynamic
// provider process's start-to-ready time, what requiring the implementation loads, and the size
// of the serialized provider the state carries.
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { startEmulator } from "../emulator/index";
import seedScenario from "../examples/seed-scenario";
import { seedProjectName } from "../examples/seed-scenario/project";
import { PilotGroup } from "../provider";
import * as pulumi from "@pulumi/pulumi";
import { benchStack, log, median, repositoryRoot } from "./common";

export interface OverheadResult {
  runs: number;
  seedPreviewMs: number[];
  emptyPreviewMs: number[];
  /** A program of one PilotGroup: the engine, the provider host and one resource's check/diff. */
  oneResourcePreviewMs: number[];
  /** A program of one trivial dynamic resource (no package loaded): the engine and the host. */
  trivialDynamicPreviewMs: number[];
  seedPreviewMedianMs: number;
  emptyPreviewMedianMs: number;
  oneResourcePreviewMedianMs: number;
  trivialDynamicPreviewMedianMs: number;
  /** median(seed) / median(empty). Goal: ≤ 1.10 × minimumRatio (OVERHEAD_GOAL in report.ts). */
  ratio: number;
  /**
   * median(trivial dynamic resource) / median(empty): what any program with a Node.js dynamic
   * resource needs, whatever its provider does.
   */
  minimumRatio: number;
  provider: ProviderStartup;
  /** The serialized provider (`__provider`) of each resource kind, in bytes. */
  serializedProvider: { kind: string; bytes: number; requiresByName: boolean }[];
}

export interface ProviderStartup {
  /**
   * Spawn of the engine's provider launcher (pulumi-resource-pulumi-nodejs: a `node -e` that finds
   * @pulumi/pulumi's dynamic-provider host, then the host) to the port it prints: median, ms.
   */
  hostReadyMs: number;
  /** Requiring pulumi-entra-nudge/internal/providers in a fresh process, as the shim does: median, ms. */
  implementationRequireMs: number;
  /** What that require loads: SDKs that must wait for the first Graph call. */
  loadsAzureIdentity: boolean;
  loadsGraphClient: boolean;
  loadsNodeForge: boolean;
  /** hostReadyMs + implementationRequireMs: from spawn to ready to answer the first call. */
  startToReadyMs: number;
}

/** Measures one fresh `require` of the implementation in a child process. */
function requireOnce(): {
  ms: number;
  identity: boolean;
  graphClient: boolean;
  forge: boolean;
} {
  const script = `
    const started = process.hrtime.bigint();
    require("pulumi-entra-nudge/internal/providers");
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const loaded = Object.keys(require.cache);
    const has = (name) => loaded.some((file) => file.includes(name));
    process.stdout.write(JSON.stringify({ ms, identity: has("@azure/identity"),
      graphClient: has("@microsoft/microsoft-graph-client"), forge: has("node-forge") }));`;
  // From the repository root, where the engine starts the provider (and the package resolves).
  const child = spawnSync(process.execPath, ["-e", script], {
    cwd: repositoryRoot,
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(`require of the providers failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ReturnType<typeof requireOnce>;
}

/** Spawns the provider launcher as the engine does and times it until the host prints its port. */
function hostReadyOnce(pulumiRoot: string): Promise<number> {
  const launcher = path.join(pulumiRoot, "bin", "pulumi-resource-pulumi-nodejs");
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // The engine address is only dialled when the provider logs; a closed port is fine here.
    const child = spawn(launcher, ["127.0.0.1:1"], {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (/^\d+\s*$/m.test(out)) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        // The launcher is a shell script: its node child goes with the process group.
        if (child.pid) process.kill(-child.pid, "SIGKILL");
        resolve(ms);
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!/^\d+\s*$/m.test(out)) reject(new Error(`the provider host exited (${code}): ${out}`));
    });
  });
}

export async function measureProviderStartup(
  runs: number,
  pulumiRoot: string,
): Promise<ProviderStartup> {
  const host: number[] = [];
  const requires: ReturnType<typeof requireOnce>[] = [];
  for (let i = 0; i < runs; i++) {
    host.push(await hostReadyOnce(pulumiRoot));
    requires.push(requireOnce());
  }
  const hostReadyMs = median(host);
  const implementationRequireMs = median(requires.map((r) => r.ms));
  return {
    hostReadyMs,
    implementationRequireMs,
    loadsAzureIdentity: requires.some((r) => r.identity),
    loadsGraphClient: requires.some((r) => r.graphClient),
    loadsNodeForge: requires.some((r) => r.forge),
    startToReadyMs: hostReadyMs + implementationRequireMs,
  };
}

/** A dynamic provider that does nothing and loads nothing: the floor for any dynamic resource. */
const TRIVIAL_PROVIDER: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "trivial", outs: {} };
  },
};

class Trivial extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(TRIVIAL_PROVIDER, name, {});
  }
}

export async function measureOverhead(pulumiRoot: string, runs: number): Promise<OverheadResult> {
  const emulator = await startEmulator();
  const env = { ...emulator.env("writer"), ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0" };
  const seed = await benchStack({
    pulumiRoot,
    projectName: seedProjectName(),
    program: async () => void seedScenario(),
    env,
  });
  const empty = await benchStack({
    pulumiRoot,
    projectName: "entra-nudge-bench-empty",
    program: async () => undefined,
    env,
  });
  const one = await benchStack({
    pulumiRoot,
    projectName: "entra-nudge-bench-one",
    program: async () => void new PilotGroup("pilot", { displayName: "Bench pilot", members: [] }),
    env,
  });
  const trivial = await benchStack({
    pulumiRoot,
    projectName: "entra-nudge-bench-trivial",
    program: async () => void new Trivial("trivial"),
    env,
  });
  const times = {
    seed: [] as number[],
    empty: [] as number[],
    one: [] as number[],
    trivial: [] as number[],
  };
  const serializedProvider: OverheadResult["serializedProvider"] = [];
  try {
    await seed.stack.up();
    await empty.stack.up();
    await one.stack.up();
    await trivial.stack.up();
    const state = await seed.stack.exportStack();
    const seen = new Set<string>();
    for (const resource of (state.deployment.resources ?? []) as {
      type: string;
      outputs?: Record<string, unknown>;
    }[]) {
      const text = resource.outputs?.__provider;
      const kind = resource.type.split(":").pop() as string;
      if (typeof text !== "string" || seen.has(kind)) continue;
      seen.add(kind);
      serializedProvider.push({
        kind,
        bytes: Buffer.byteLength(text, "utf8"),
        requiresByName: text.includes("pulumi-entra-nudge/internal/providers"),
      });
    }
    // One untimed round each first (warm caches), then alternating timed rounds.
    const stacks = { seed, empty, one, trivial };
    for (const target of Object.values(stacks)) await target.stack.preview();
    for (let i = 0; i < runs; i++) {
      for (const which of ["seed", "empty", "one", "trivial"] as const) {
        const started = process.hrtime.bigint();
        await stacks[which].stack.preview();
        times[which].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      log(
        `preview ${i + 1}/${runs}: seed ${Math.round(times.seed[i])} ms, empty ${Math.round(times.empty[i])} ms, one PilotGroup ${Math.round(times.one[i])} ms, trivial dynamic resource ${Math.round(times.trivial[i])} ms`,
      );
    }
    await seed.stack.destroy();
    await one.stack.destroy();
  } finally {
    await seed.cleanup();
    await empty.cleanup();
    await one.cleanup();
    await trivial.cleanup();
    await emulator.close();
  }
  const provider = await measureProviderStartup(runs, pulumiRoot);
  log(
    `provider: host ready ${Math.round(provider.hostReadyMs)} ms, implementation require ${Math.round(provider.implementationRequireMs)} ms`,
  );
  const seedPreviewMedianMs = median(times.seed);
  const emptyPreviewMedianMs = median(times.empty);
  return {
    runs,
    seedPreviewMs: times.seed,
    emptyPreviewMs: times.empty,
    oneResourcePreviewMs: times.one,
    seedPreviewMedianMs,
    emptyPreviewMedianMs,
    oneResourcePreviewMedianMs: median(times.one),
    trivialDynamicPreviewMs: times.trivial,
    trivialDynamicPreviewMedianMs: median(times.trivial),
    ratio: seedPreviewMedianMs / emptyPreviewMedianMs,
    minimumRatio: median(times.trivial) / emptyPreviewMedianMs,
    provider,
    serializedProvider,
  };
}
