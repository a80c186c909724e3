// Least privilege, from the table in provider/permissions.ts (docs/real-tenant.md's table is checked
// against it): for every command and every resource operation, an app holding exactly the listed
// application permissions does the job, and an app with any one of them removed fails with a
// sentence naming the missing permission and writes nothing (or, where the table says the command
// degrades, works and warns naming it). The emulator enforces permissions per call
// (emulator/graph/permissions.ts, from Microsoft's tables in emulator/graph/permissionTable.ts);
// each app of the tenant below holds one set of roles.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import type * as pulumi from "@pulumi/pulumi";
import { useEmulator } from "../support/emulator";
import { main } from "../../provider/cli";
import { resolveSettings } from "../../provider/config";
import { GraphClient, patchRegistrationEnforcement } from "../../provider/graph";
import {
  allPermissions,
  COMMAND_PERMISSIONS,
  permissionTableRows,
  RESOURCE_PERMISSIONS,
  type PermissionEntry,
} from "../../provider/permissions";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";
import { projectRoot } from "../support/engine";
import { type SeedStack, seedStack } from "../support/engineStack";

type Props = Record<string, unknown>;

/** Objects of the emulator's default tenant (emulator/tenants/default.json). */
const PILOT_GROUP_ID = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31"; // Pilot - Authenticator wave 1
const BREAK_GLASS_GROUP_ID = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const PILOT_USER_UPN = "pilot.user@contoso.onmicrosoft.com";
const PILOT_USER_ID = "bb1d6c17-7043-5689-a17d-aa610e2a4115";
const TYPE_PREFIX = "pulumi-nodejs:dynamic/entra-nudge:";

/** What one run with one app showed. */
interface Outcome {
  ok: boolean;
  /** The error message, or the command's stderr. */
  message: string;
  warnings: string[];
}

interface Case {
  name: string;
  entry: PermissionEntry;
  /** Puts the tenant (and files) in the state the operation starts from, as the writer app. */
  prepare?: () => Promise<void>;
  /** The operation, signed in as the given app. */
  run: (app: string) => Promise<Outcome>;
  /** Files the operation writes; a failed run must leave none of them. */
  outputs?: () => string[];
}

function appName(caseName: string, without?: string): string {
  return `${caseName}${without ? ` without ${without}` : ""}`;
}

/** The default tenant plus, for every case, an app with its exact set and one per removal. */
function tenantWithApps(cases: Case[]): object {
  const file = path.join(projectRoot, "emulator", "tenants", "default.json");
  const tenant = JSON.parse(fs.readFileSync(file, "utf8")) as { apps: object[] };
  let counter = 0;
  const app = (name: string, roles: string[]) => {
    counter += 1;
    const hex = counter.toString(16).padStart(12, "0");
    return { name, clientId: `1ea57000-0000-4000-8000-${hex}`, roles };
  };
  for (const c of cases) {
    const set = allPermissions(c.entry);
    tenant.apps.push(app(appName(c.name), set));
    for (const p of set) {
      tenant.apps.push(
        app(
          appName(c.name, p),
          set.filter((q) => q !== p),
        ),
      );
    }
  }
  // For the engine run: per operation, the union of the three resources' sets.
  for (const operation of ENGINE_OPERATIONS) {
    tenant.apps.push(app(`engine ${operation}`, engineSet(operation)));
  }
  return tenant;
}

const ENGINE_OPERATIONS = ["preview", "refresh", "up", "destroy"] as const;

/** What one engine operation of a program declaring all three resources needs. */
function engineSet(operation: (typeof ENGINE_OPERATIONS)[number]): string[] {
  return [
    ...new Set(
      Object.values(RESOURCE_PERMISSIONS).flatMap((operations) =>
        allPermissions(operations[operation]),
      ),
    ),
  ];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("least privilege: each command and resource operation with exactly its permissions", function () {
  this.timeout(120_000);
  const cases: Case[] = [];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-nudge-least-privilege-"));
  after(() => {
    setWarningSink(undefined);
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** Environment signing in as the app, with fast retries and no reports pacing. */
  function envOf(app: string): NodeJS.ProcessEnv {
    return {
      ...emulator.env(app),
      ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
      ENTRA_NUDGE_MAX_RETRIES: "1",
      ENTRA_NUDGE_REPORT_RATE_LIMIT: "off",
    };
  }

  /** A provider method run as the app, warnings captured. */
  async function asApp(app: string, action: () => Promise<unknown>): Promise<Outcome> {
    const warnings: string[] = [];
    setConfig(() => undefined, envOf(app));
    setWarningSink((message) => warnings.push(message));
    try {
      await action();
      return { ok: true, message: "", warnings };
    } catch (err) {
      return { ok: false, message: (err as Error).message, warnings };
    } finally {
      setWarningSink(undefined);
    }
  }

  /** `entra-nudge ARGS` in process, as the app; ok when the exit code is one of `success`. */
  async function command(app: string, args: string[], success: number[]): Promise<Outcome> {
    let stdout = "";
    let stderr = "";
    const code = await main(args, {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      env: envOf(app),
      cwd: workDir,
    });
    const warnings = stderr
      .split("\n")
      .filter((line) => line.startsWith("warning: "))
      .map((line) => line.slice("warning: ".length));
    return { ok: success.includes(code), message: `exit ${code}: ${stderr}${stdout}`, warnings };
  }

  async function checked(kind: string, args: Props): Promise<Props> {
    setConfig(() => undefined, envOf("writer"));
    const result = await provider(kind as "PilotGroup").check!({}, args);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  }

  /** Creates the resource as the writer: what a previous `pulumi up` left. */
  async function created(
    kind: string,
    args: Props,
  ): Promise<{ id: string; inputs: Props; outs: Props }> {
    const inputs = await checked(kind, args);
    setConfig(() => undefined, envOf("writer"));
    const { id, outs } = await provider(kind as "PilotGroup").create(inputs);
    return { id, inputs, outs: outs as Props };
  }

  /** A `pulumi stack export` file holding the given resources. */
  function stateFile(
    resources: { kind: string; name: string; id: string; inputs: Props; outs: Props }[],
  ): string {
    const file = path.join(workDir, "state.json");
    const document = {
      version: 3,
      deployment: {
        resources: resources.map((r) => ({
          urn: `urn:pulumi:dev::least-privilege::${TYPE_PREFIX}${r.kind}::${r.name}`,
          type: `${TYPE_PREFIX}${r.kind}`,
          id: r.id,
          inputs: r.inputs,
          outputs: { ...r.outs },
        })),
      },
    };
    fs.writeFileSync(file, JSON.stringify(document));
    return file;
  }

  // ---- the resources' engine operations, through the provider methods ----

  // The singletons name a user and a group: their kinds are checked before the write. (A user the
  // other cases' portal edits leave alone: emulator/tenants/default.json's break-glass account.)
  const BREAK_GLASS_USER_ID = "6ec85dbc-3f90-5c4f-9276-d103b845bee8";
  const singletonArgs: Record<string, { declared: Props; changed: Props }> = {
    RegistrationCampaign: {
      declared: {
        state: "enabled",
        snoozeDurationInDays: 0,
        includeTargets: [
          { id: PILOT_GROUP_ID, targetType: "group" },
          { id: BREAK_GLASS_USER_ID, targetType: "user" },
        ],
        excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
      },
      changed: {
        state: "enabled",
        snoozeDurationInDays: 3,
        includeTargets: [
          { id: PILOT_GROUP_ID, targetType: "group" },
          { id: BREAK_GLASS_USER_ID, targetType: "user" },
        ],
        excludeTargets: [{ id: BREAK_GLASS_GROUP_ID, targetType: "group" }],
      },
    },
    // Narrowing Authenticator takes it from users: accepted, so the check reads and warns.
    AuthenticatorPolicy: {
      declared: {
        state: "enabled",
        includeTargets: [
          { id: PILOT_GROUP_ID, targetType: "group", authenticationMode: "any" },
          { id: BREAK_GLASS_USER_ID, targetType: "user", authenticationMode: "any" },
        ],
        allowMethodLoss: true,
      },
      changed: {
        state: "enabled",
        includeTargets: [
          { id: PILOT_GROUP_ID, targetType: "group", authenticationMode: "push" },
          { id: BREAK_GLASS_USER_ID, targetType: "user", authenticationMode: "push" },
        ],
        allowMethodLoss: true,
      },
    },
    PilotGroup: {
      declared: { displayName: "Least privilege pilot", members: [PILOT_USER_UPN] },
      changed: {
        displayName: "Least privilege pilot (renamed)",
        members: [PILOT_USER_UPN, "AdeleV@contoso.onmicrosoft.com"],
      },
    },
  };

  for (const kind of ["RegistrationCampaign", "AuthenticatorPolicy", "PilotGroup"] as const) {
    const { declared, changed } = singletonArgs[kind];
    const operations = RESOURCE_PERMISSIONS[kind];
    const methods = () => provider(kind) as Required<pulumi.dynamic.ResourceProvider>;
    let existing: { id: string; inputs: Props; outs: Props };
    const withExisting = async () => {
      existing = await created(kind, declared);
    };
    cases.push(
      {
        name: `${kind} preview`,
        entry: operations.preview,
        prepare: withExisting,
        // A new resource is checked; an existing one is checked and diffed.
        run: (app) =>
          asApp(app, async () => {
            await methods().check({}, declared);
            const news = await methods().check(existing.outs, changed);
            const diff = await methods().diff(existing.id, existing.outs, news.inputs);
            expect(diff.changes).to.equal(true);
          }),
      },
      {
        name: `${kind} refresh`,
        entry: operations.refresh,
        prepare: withExisting,
        run: (app) => asApp(app, () => methods().read(existing.id, existing.outs)),
      },
      // `up` checks each resource before it creates or updates it, as the same app.
      {
        name: `${kind} up (create)`,
        entry: operations.up,
        run: (app) =>
          asApp(app, async () => {
            const { inputs } = await methods().check({}, declared);
            await methods().create(inputs);
          }),
      },
      {
        name: `${kind} up (update)`,
        entry: operations.up,
        prepare: withExisting,
        run: (app) =>
          asApp(app, async () => {
            const { inputs } = await methods().check(existing.inputs, changed);
            await methods().update(existing.id, existing.outs, inputs);
          }),
      },
      {
        name: `${kind} destroy`,
        entry: operations.destroy,
        prepare: withExisting,
        run: (app) => asApp(app, () => methods().delete(existing.id, existing.outs)),
      },
    );
  }

  // ---- the commands, in process ----

  let stateFilePath = "";
  cases.push({
    name: "drift",
    entry: COMMAND_PERMISSIONS.drift,
    // The three resources as an `up` left them, then a portal edit that excludes a user, so the
    // report names a group and a user.
    prepare: async () => {
      const resources = [];
      for (const kind of ["PilotGroup", "RegistrationCampaign", "AuthenticatorPolicy"] as const) {
        resources.push({
          kind,
          name: kind.toLowerCase(),
          ...(await created(kind, singletonArgs[kind].declared)),
        });
      }
      stateFilePath = stateFile(resources);
      await portalExcludesUser();
    },
    run: (app) => command(app, ["drift", "--file", stateFilePath, "--json"], [2]),
  });

  let previewFile = "";
  cases.push({
    name: "preview-summary",
    entry: COMMAND_PERMISSIONS["preview-summary"],
    // A campaign being created (adopted) whose targets name a group and a user.
    prepare: async () => {
      previewFile = path.join(workDir, "preview.json");
      const urn = `urn:pulumi:dev::least-privilege::${TYPE_PREFIX}RegistrationCampaign::campaign`;
      fs.writeFileSync(
        previewFile,
        JSON.stringify({
          steps: [
            {
              op: "create",
              urn,
              newState: {
                type: `${TYPE_PREFIX}RegistrationCampaign`,
                inputs: {
                  state: "enabled",
                  includeTargets: [{ id: PILOT_GROUP_ID, targetType: "group" }],
                  excludeTargets: [{ id: PILOT_USER_ID, targetType: "user" }],
                },
              },
            },
          ],
        }),
      );
    },
    run: (app) => command(app, ["preview-summary", "--input", previewFile], [0]),
  });

  let declarationFile = "";
  cases.push({
    name: "impact",
    entry: COMMAND_PERMISSIONS.impact,
    prepare: async () => {
      declarationFile = path.join(workDir, "declaration.json");
      fs.writeFileSync(
        declarationFile,
        JSON.stringify({
          campaign: singletonArgs.RegistrationCampaign.declared,
          authenticator: singletonArgs.AuthenticatorPolicy.declared,
        }),
      );
    },
    run: (app) => command(app, ["impact", "--declaration", declarationFile, "--json"], [0]),
  });

  const htmlFile = path.join(workDir, "progress.html");
  cases.push({
    name: "report",
    entry: COMMAND_PERMISSIONS.report,
    prepare: async () => {
      fs.rmSync(htmlFile, { force: true });
      await created("RegistrationCampaign", singletonArgs.RegistrationCampaign.declared);
    },
    run: (app) => command(app, ["report", "--json", "--html", htmlFile], [0]),
    outputs: () => [htmlFile].filter((file) => fs.existsSync(file)),
  });

  const readinessHtmlFile = path.join(workDir, "readiness.html");
  cases.push({
    name: "readiness",
    entry: COMMAND_PERMISSIONS.readiness,
    prepare: async () => {
      fs.rmSync(readinessHtmlFile, { force: true });
      await created("RegistrationCampaign", singletonArgs.RegistrationCampaign.declared);
    },
    run: (app) => command(app, ["readiness", "--json", "--html", readinessHtmlFile], [0]),
    outputs: () => [readinessHtmlFile].filter((file) => fs.existsSync(file)),
  });

  const exportDir = path.join(workDir, "exported");
  cases.push({
    name: "export",
    entry: COMMAND_PERMISSIONS.export,
    prepare: async () => {
      fs.rmSync(exportDir, { recursive: true, force: true });
      await created("RegistrationCampaign", singletonArgs.RegistrationCampaign.declared);
      await portalExcludesUser();
    },
    run: (app) => command(app, ["export", "--out", exportDir], [0]),
    outputs: () => (fs.existsSync(exportDir) ? fs.readdirSync(exportDir) : []),
  });

  /** A portal edit: the campaign also excludes the pilot user. */
  async function portalExcludesUser(): Promise<void> {
    const graph = new GraphClient(resolveSettings(() => undefined, envOf("writer")));
    await patchRegistrationEnforcement(graph, {
      authenticationMethodsRegistrationCampaign: {
        excludeTargets: [
          { id: BREAK_GLASS_GROUP_ID, targetType: "group" },
          { id: PILOT_USER_ID, targetType: "user" },
        ],
      },
    });
  }

  // The cases above only refer to the emulator when they run; it starts with a tenant holding
  // every case's apps.
  const emulator = useEmulator({ tenant: tenantWithApps(cases), replicationDelayMs: 0 });

  /** Writes that went through for the app (the request log; $batch steps are logged one by one). */
  function writesBy(app: string): string[] {
    const clientId = emulator.info.apps[app].clientId;
    return emulator
      .requests()
      .filter((r) => r.clientId === clientId && /^\/(v1\.0|beta)\//.test(r.path))
      .filter((r) => r.method !== "GET" && !r.path.endsWith("/$batch") && r.status < 400)
      .map((r) => `${r.method} ${r.path}`);
  }

  // Every Graph call any case sent must be one Microsoft's permission tables were read for
  // (emulator/graph/permissionTable.ts): the emulator logs the row that decided each call, null
  // when the table does not list it. Collected after each test (the next one resets the log).
  const unlisted = new Set<string>();
  let listed = 0;
  afterEach(() => {
    for (const r of emulator.requests()) {
      if (typeof r.permissionRow === "string") listed++;
      if (r.permissionRow === null)
        unlisted.add(`${r.method} ${r.path}${r.query ? `?${r.query}` : ""}`);
    }
  });
  after(() => {
    expect(listed, "Graph calls the table decided").to.be.above(0);
    expect([...unlisted], "requests the permission table does not list").to.deep.equal([]);
  });

  it("the permission table of docs/real-tenant.md is provider/permissions.ts's, row by row", () => {
    const page = fs.readFileSync(path.join(projectRoot, "docs", "real-tenant.md"), "utf8");
    const section = page.slice(page.indexOf("## Permissions"));
    const table = section.slice(
      section.indexOf("| feature"),
      section.indexOf("\n\n", section.indexOf("| feature")),
    );
    const rows = table
      .split("\n")
      .slice(2) // the header and its rule
      .map((line) =>
        line
          .trim()
          .replace(/^\||\|$/g, "")
          .split(" | ")
          .map((cell) => cell.trim()),
      )
      .map(([feature, permissions]) => ({ feature, permissions }));
    expect(rows).to.deep.equal(permissionTableRows());
  });

  describe("through the real engine: the seed scenario, each operation with exactly its set", () => {
    let seed: SeedStack | undefined;
    after(async () => seed?.cleanup());

    it("previews, ups, refreshes and destroys, each signed in as an app holding only what it needs", async function () {
      this.timeout(240_000);
      emulator.reset();
      seed = await seedStack(emulator, {
        stackName: "least-privilege",
        app: "engine preview",
      });
      const stack = seed;
      const signInAs = (operation: string) =>
        Object.assign(stack.stack.workspace.envVars, emulator.env(`engine ${operation}`));
      const callsBy = (operation: string) => {
        const clientId = emulator.info.apps[`engine ${operation}`].clientId;
        return emulator.requests().filter((r) => r.clientId === clientId);
      };
      await stack.succeed((h) => stack.stack.preview(h));
      // A preview writes nothing and reads only what the targets' ids name (one batched lookup).
      expect(
        callsBy("preview")
          .filter((r) => /^\/(v1\.0|beta)\//.test(r.path))
          // Targets are looked up as users (GET /users?$filter=id in) and groups (GET /groups/{id}).
          .filter((r) => !/^\/v1\.0\/(users|groups\/[^/]+|\$batch)$/.test(r.path))
          .map((r) => `${r.method} ${r.path}`),
        "a preview reads nothing but the targets",
      ).to.deep.equal([]);
      signInAs("up");
      await stack.succeed((h) => stack.stack.up(h));
      signInAs("refresh");
      await stack.succeed((h) => stack.stack.refresh(h));
      await stack.succeed((h) => stack.stack.previewRefresh({ ...h, expectNoChanges: true }));
      signInAs("destroy");
      await stack.succeed((h) => stack.stack.destroy(h));
      expect(
        emulator
          .requests()
          .filter((r) => r.status === 403)
          .map((r) => `${r.method} ${r.path}`),
        "no call was refused",
      ).to.deep.equal([]);
      for (const operation of ["up", "refresh", "destroy"]) {
        expect(callsBy(operation).length, `${operation} signed in as its app`).to.be.above(0);
      }
    });
  });

  for (const c of cases) {
    describe(c.name, () => {
      const set = allPermissions(c.entry);
      const degrading = new Set(
        (c.entry.conditional ?? []).filter((x) => x.degrades).map((x) => x.permission),
      );
      beforeEach(async () => {
        emulator.reset();
        setWarningSink(() => undefined); // the writer's adoption warnings are not under test
        await c.prepare?.();
        setWarningSink(undefined);
      });

      it(`works with exactly ${set.length ? set.join(", ") : "no permission"}`, async () => {
        const outcome = await c.run(appName(c.name));
        expect(outcome.ok, outcome.message).to.equal(true);
        const refused = emulator.requests().filter((r) => r.status === 403);
        expect(
          refused.map((r) => `${r.method} ${r.path}`),
          "no call was refused",
        ).to.deep.equal([]);
        if (set.length === 0) {
          const clientId = emulator.info.apps[appName(c.name)].clientId;
          const calls = emulator.requests().filter((r) => r.clientId === clientId);
          expect(calls, "an operation that needs no permission calls nothing").to.deep.equal([]);
        }
      });

      for (const missing of set) {
        const app = appName(c.name, missing);
        if (degrading.has(missing)) {
          it(`without ${missing}: works with less detail and warns naming it`, async () => {
            const outcome = await c.run(app);
            expect(outcome.ok, outcome.message).to.equal(true);
            expect(outcome.warnings.join("\n")).to.match(new RegExp(escape(missing)));
          });
          continue;
        }
        it(`without ${missing}: fails naming it and writes nothing`, async () => {
          const outcome = await c.run(app);
          expect(outcome.ok, "the operation failed").to.equal(false);
          expect(outcome.message).to.match(
            new RegExp(`application permission [^:]*\\b${escape(missing)}\\b`),
          );
          expect(writesBy(app), "writes that went through").to.deep.equal([]);
          expect(c.outputs?.() ?? [], "files written").to.deep.equal([]);
        });
      }
    });
  }
});
