// The export round trip through the real engine, for every tenant fixture and for the default tenant
// after Microsoft's 2026-09-01 move to passkeys (POST /_emulator/microsoft-migration: a Microsoft
// managed passkey campaign, passkeys enabled with a profile for the SMS and voice users; issue 13's
// "done when"): export the tenant (read permissions only), compile the exported project as its own tsconfig.json says, run it as an
// inline program in the exported directory (its Pulumi.yaml and Pulumi.dev.yaml, no credentials
// but the app's id and secret), and prove that `up` adopts without a single Graph write, that
// preview and refresh then show no change, and that destroy (onDelete "retain") writes nothing.
import * as path from "node:path";
import { expect } from "chai";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { PROGRAM_FUNCTION } from "../../provider/export";
import type { RunningEmulator } from "../../emulator/index.js";
import { getToken, rawRequest, useEmulator } from "../support/emulator";
import { isolatedWorkspace, type IsolatedWorkspace } from "../support/engine";
import {
  appEnv,
  compileProject,
  fixtureNames,
  graphWrites,
  readFixture,
  runExport,
  tenantWith,
} from "./support";

const POLICY = "/policies/authenticationMethodsPolicy";
const AUTHENTICATOR = `${POLICY}/authenticationMethodConfigurations/MicrosoftAuthenticator`;
const FIDO2 = `${POLICY}/authenticationMethodConfigurations/Fido2`;

/** Fast retries: a fault must not slow the suite down with real backoff. */
const RETRY_ENV = { ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0", ENTRA_NUDGE_MAX_RETRIES: "2" };

/**
 * The round trip for one tenant; `prepare` changes it (as Microsoft would) before the reads that
 * the round trip must leave as they are.
 */
function roundTrip(
  name: string,
  tenant: Record<string, unknown>,
  prepare: (emulator: RunningEmulator) => void = () => undefined,
): void {
  describe(`export round trip: ${name}`, function () {
    // Export, compile, then four engine operations that each start the CLI and the provider.
    this.timeout(180_000);
    const emulator = useEmulator({ tenant });
    let workspace: IsolatedWorkspace;
    let outDir: string;
    let stack: Stack;
    /** Graph's answers before anything ran, both versions: what the round trip must leave. */
    let original: Record<string, unknown>;

    const readTenant = async (): Promise<Record<string, unknown>> => {
      const token = await getToken(emulator, "reader");
      const entries = await Promise.all(
        ["v1.0", "beta"].flatMap((version) =>
          [POLICY, AUTHENTICATOR, FIDO2].map(async (p) => {
            const response = await rawRequest(emulator, { path: `/${version}${p}`, token });
            expect(response.status, response.text).to.equal(200);
            return [`${version}${p}`, response.json] as const;
          }),
        ),
      );
      return Object.fromEntries(entries);
    };

    before(async function () {
      prepare(emulator);
      original = await readTenant();
      workspace = await isolatedWorkspace();
      outDir = path.join(workspace.dir, "exported");
      const run = await runExport(["--out", outDir], appEnv(emulator, "reader"));
      expect(run.code, run.stderr).to.equal(0);
      compileProject(outDir);

      // Only the writer's id and secret come from the environment: the tenant, the authority and
      // the Graph endpoint must come from the exported Pulumi.dev.yaml.
      const writer = emulator.env("writer");
      const program = path.join(outDir, "bin", "program.js");
      stack = await LocalWorkspace.createOrSelectStack(
        {
          stackName: "dev",
          projectName: "entra-nudge-tenant",
          program: async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled export
            const exported = require(program) as Record<string, () => unknown>;
            exported[PROGRAM_FUNCTION]();
          },
        },
        {
          workDir: outDir,
          pulumiCommand: workspace.pulumiCommand,
          pulumiHome: workspace.pulumiHome,
          envVars: {
            ...workspace.envVars,
            ...RETRY_ENV,
            AZURE_CLIENT_ID: writer.AZURE_CLIENT_ID,
            AZURE_CLIENT_SECRET: writer.AZURE_CLIENT_SECRET,
            NODE_EXTRA_CA_CERTS: writer.NODE_EXTRA_CA_CERTS,
          },
        },
      );
    });
    after(async () => workspace?.cleanup());

    it("up adopts the exported settings without a Graph write", async () => {
      emulator.clearRequests();
      const up = await stack.up();
      expect(up.summary.resourceChanges).to.deep.equal({ create: 4 });
      expect(graphWrites(emulator)).to.deep.equal([]);
      expect(await readTenant()).to.deep.equal(original);
    });

    it("preview then shows no changes", async () => {
      const preview = await stack.preview({ expectNoChanges: true });
      expect(preview.changeSummary).to.deep.equal({ same: 4 });
    });

    it("refresh finds no drift", async () => {
      const refresh = await stack.previewRefresh({ expectNoChanges: true });
      expect(refresh.changeSummary).to.deep.equal({ same: 4 });
    });

    it('destroy leaves the tenant as it is (onDelete "retain")', async () => {
      emulator.clearRequests();
      await stack.destroy();
      expect(graphWrites(emulator)).to.deep.equal([]);
      expect(await readTenant()).to.deep.equal(original);
    });
  });
}

for (const name of fixtureNames()) roundTrip(name, tenantWith(readFixture(name)));

roundTrip(
  "after Microsoft's move to passkeys (POST /_emulator/microsoft-migration)",
  tenantWith({ description: "the default tenant", campaign: null, authenticator: null }),
  (emulator) => {
    const migration = emulator.microsoftMigration();
    expect(migration.migrated, migration.reason).to.equal(true);
    expect(migration.campaignChanged).to.equal(true);
  },
);
