// The engine interrupted in the middle of an `up` of the seed scenario, at a point chosen for the
// worst case: the pilot group's creation is in flight (the emulator holds the POST), so Graph
// creates the group whatever happens to the engine. SIGINT (Ctrl-C, or the Automation API's abort
// signal) lets Pulumi finish the operation in flight and record it; the next `up` converges.
// SIGKILL (a CI runner or machine gone) leaves the stack locked with a pending create and the group
// in the tenant, unknown to the state: the recovery of docs/reliability.md (`pulumi cancel`, the
// pending create recorded as done with the group's id through `pulumi stack export`/jq/`import`,
// `pulumi refresh`) makes the next `up` converge on exactly one group, the one the state holds.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator/index.js";
import { deriveMailNickname } from "../../provider/model";
import { rawRequest, useEmulator } from "../support/emulator";
import {
  PILOT_GROUP_NAME,
  type SeedStack,
  expectStateTruthful,
  recordedResources,
  seedStack,
} from "../support/engineStack";
import { PILOT_USER_ID, Tenant } from "../support/tenant";

/** The mailNickname the seed program's pilot group gets (derived from its display name). */
const PILOT_MAIL_NICKNAME = deriveMailNickname(PILOT_GROUP_NAME);

/** How long the emulator holds the group's creation: the interrupt lands inside this window. */
const CREATION_STALL_MS = 4000;

/** The client must outwait the stall (a timeout would make it a lost-answer case instead). */
const ENV = { ENTRA_NUDGE_TIMEOUT_MS: "30000" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** Holds the next POST /groups; resolves once it has arrived (the fault is then consumed). */
function stallGroupCreation(
  emulator: RunningEmulator,
  delayMs = CREATION_STALL_MS,
): () => Promise<boolean> {
  emulator.injectFault({
    delayMs,
    count: 1,
    method: "POST",
    pathPrefix: "/v1.0/groups",
  });
  return async () => {
    const armed = await rawRequest(emulator, { path: "/_emulator/faults" });
    return (armed.json as { faults: unknown[] }).faults.length === 0;
  };
}

/** The POST /groups answers the emulator has logged (an answer is logged once it is sent). */
function groupCreations(emulator: RunningEmulator): number[] {
  return emulator
    .requests()
    .filter((r) => r.method === "POST" && r.path === "/v1.0/groups")
    .map((r) => r.status);
}

/** Process ids whose parent is `parent` (Linux /proc). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, "utf8");
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === parent) children.push(Number(entry));
    } catch {
      // The process ended while the table was read.
    }
  }
  return children;
}

function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

/**
 * SIGKILL for the `pulumi up` this process started and everything it started (the provider
 * processes): a machine or a CI runner gone, nothing gets to clean up.
 */
function killEngine(): number[] {
  const cli = childrenOf(process.pid).filter((pid) => {
    const argv = commandLine(pid);
    return path.basename(argv[0] ?? "") === "pulumi" && argv.includes("up");
  });
  expect(cli, "the pulumi up process of this test").to.have.length(1);
  const tree: number[] = [];
  const collect = (pid: number) => {
    tree.push(pid);
    childrenOf(pid).forEach(collect);
  };
  collect(cli[0]);
  for (const pid of tree) process.kill(pid, "SIGKILL");
  return tree;
}

/**
 * The jq filter of docs/reliability.md: the pending create of `$urn` becomes a resource with the id
 * `$id` (its recorded inputs stand in for outputs until the refresh reads the real ones).
 */
const ADOPT_PENDING_CREATE = `
  .deployment.resources += [
    .deployment.pending_operations[]
    | select(.type == "creating" and .resource.urn == $urn)
    | .resource + {id: $id, outputs: .resource.inputs}
  ]
  | .deployment.pending_operations |= map(select(.resource.urn != $urn))`;

function jq(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("jq", args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`jq: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

interface Deployment {
  resources?: { urn: string; type: string; id?: string }[];
  pending_operations?: { type: string; resource: { urn: string; type: string } }[];
}

/**
 * Whether the backend's checkpoint (the file the engine rewrites after each step) records a
 * resource of `type`: read from the file, as the stack is locked while the update runs.
 */
function checkpointHolds(seed: SeedStack, type: string): boolean {
  const root = path.join(new URL(seed.workspace.backendUrl).pathname, ".pulumi", "stacks");
  if (!fs.existsSync(root)) return false;
  const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter(
    (f) => path.basename(f) === `${seed.stackName}.json`,
  );
  return files.some((file) => {
    try {
      const saved = JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as {
        checkpoint?: { latest?: { resources?: { type: string }[] } };
      };
      return (saved.checkpoint?.latest?.resources ?? []).some((r) => r.type === type);
    } catch {
      return false; // caught mid-write: read again
    }
  });
}

async function deployment(seed: SeedStack): Promise<Deployment> {
  return (await seed.stack.exportStack()).deployment as Deployment;
}

/** The lock files of the file backend (`<backend>/.pulumi/locks/...`). */
function lockFiles(seed: SeedStack): string[] {
  const root = path.join(new URL(seed.workspace.backendUrl).pathname, ".pulumi", "locks");
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".json"));
}

describe("e2e: the engine interrupted in the middle of an up", function () {
  this.timeout(300_000);
  const emulator = useEmulator();
  const tenant = new Tenant(emulator);
  const stacks: SeedStack[] = [];
  after(async () => Promise.all(stacks.map((s) => s.cleanup())));

  /** Converged: the next up succeeds, previews no change, and exactly one pilot group exists. */
  async function expectConverged(seed: SeedStack): Promise<void> {
    await seed.succeed((h) => seed.stack.up(h));
    await seed.succeed((h) => seed.stack.preview({ ...h, expectNoChanges: true }));
    await expectStateTruthful(seed, tenant);
    const recorded = await recordedResources(seed);
    expect(await tenant.groupsNamed(PILOT_GROUP_NAME), "exactly one pilot group").to.deep.equal([
      { id: recorded.get("pilot")?.id, memberIds: [PILOT_USER_ID] },
    ]);
    expect((await deployment(seed)).pending_operations ?? []).to.deep.equal([]);
  }

  it("SIGINT: Pulumi finishes the creation in flight, records it, and the next up converges", async () => {
    emulator.reset();
    const seed = await seedStack(emulator, { stackName: "sigint", env: ENV });
    stacks.push(seed);
    const arrived = stallGroupCreation(emulator);
    const interrupt = new AbortController();
    const up = seed.attempt((h) => seed.stack.up({ ...h, signal: interrupt.signal }));
    await until("the group's creation reaches Graph", arrived);
    interrupt.abort();
    const interrupted = await up;

    expect(interrupted.error, "the interrupted up reports a failure").not.to.equal(undefined);
    expect(groupCreations(emulator), "the creation in flight completed").to.deep.equal([201]);
    // Graceful: the engine waited for the creation, recorded the group and released the lock.
    const recorded = await recordedResources(seed);
    expect(recorded.get("pilot")?.id, "the created group is in the state").to.be.a("string");
    expect((await deployment(seed)).pending_operations ?? []).to.deep.equal([]);
    expect(lockFiles(seed)).to.deep.equal([]);
    await expectStateTruthful(seed, tenant);

    await expectConverged(seed);
  });

  it("SIGKILL: the lock and the pending create are repaired as documented, and the next up converges on one group", async () => {
    emulator.reset();
    const seed = await seedStack(emulator, { stackName: "sigkill", env: ENV });
    stacks.push(seed);
    // The group's creation is held long enough for the Authenticator policy, which does not wait
    // for the group, to be adopted and recorded first: the kill then leaves exactly one create
    // pending, the group's, as the documented recovery expects.
    const arrived = stallGroupCreation(emulator, 20_000);
    const up = seed.attempt((h) => seed.stack.up(h));
    await until("the group's creation reaches Graph", arrived);
    await until("the Authenticator policy's adoption is recorded", () =>
      checkpointHolds(seed, "pulumi-nodejs:dynamic/entra-nudge:AuthenticatorPolicy"),
    );
    expect(groupCreations(emulator), "the group's creation is still held").to.deep.equal([]);
    killEngine();
    const killed = await up;
    expect(killed.error, "the killed up fails").not.to.equal(undefined);
    // Graph carries out the creation all the same: the group exists, the state does not know it.
    await until("Graph answers the creation", () => groupCreations(emulator).length === 1);
    expect(groupCreations(emulator)).to.deep.equal([201]);
    // The user finds it as the recovery says: by the pilot's mailNickname.
    const filter = encodeURIComponent(`mailNickname eq '${PILOT_MAIL_NICKNAME}'`);
    const found = await tenant.get<{ value: { id: string }[] }>(`/v1.0/groups?$filter=${filter}`);
    expect(found.value, "the group the killed run created").to.have.length(1);
    const orphan = found.value[0];

    // What the kill leaves: the backend's lock and the engine's record of the create it began.
    const left = await deployment(seed);
    const pending = (left.pending_operations ?? []).map((op) => `${op.type} ${op.resource.type}`);
    expect(pending).to.deep.equal(["creating pulumi-nodejs:dynamic/entra-nudge:PilotGroup"]);
    expect(lockFiles(seed), "the killed run's lock").to.have.length(1);
    const locked = await seed.attempt((h) => seed.stack.up(h));
    expect(String(locked.error)).to.match(/locked/);

    // The recovery of docs/reliability.md: 1. release the lock.
    await seed.stack.cancel();
    expect(lockFiles(seed)).to.deep.equal([]);
    // 2. record the pending create as done, with the id of the group it made (found in Graph by
    // the pilot's mailNickname), through `pulumi stack export`, jq and `pulumi stack import`.
    const pilotUrn = (left.pending_operations ?? [])[0].resource.urn;
    const exported = path.join(seed.workspace.dir, "state.json");
    fs.writeFileSync(exported, JSON.stringify(await seed.stack.exportStack()));
    const repaired = await jq([
      "--arg",
      "urn",
      pilotUrn,
      "--arg",
      "id",
      orphan.id,
      ADOPT_PENDING_CREATE,
      exported,
    ]);
    await seed.stack.importStack(
      JSON.parse(repaired) as Parameters<typeof seed.stack.importStack>[0],
    );
    expect((await deployment(seed)).pending_operations ?? []).to.deep.equal([]);
    // 3. a refresh reads the group as Graph holds it.
    await seed.succeed((h) => seed.stack.refresh(h));
    expect((await recordedResources(seed)).get("pilot")?.id).to.equal(orphan.id);

    // 4. the next up converges on that group.
    await expectConverged(seed);
    expect((await recordedResources(seed)).get("pilot")?.id).to.equal(orphan.id);
  });
});
