// Sign-in refusals as a platform engineer meets them: what Entra said (an unknown tenant, a wrong
// client id, a bad secret), each its own sentence, said once and without a stack trace, through
// the Graph client, the CLI and the real engine. A tenant named by its verified domain signs in.
import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { resolveSettings } from "../../provider/config";
import {
  GraphClient,
  GraphRequestError,
  getAuthenticationMethodsPolicy,
} from "../../provider/graph";
import { AuthenticatorPolicy } from "../../provider";
import { useEmulator } from "../support/emulator";
import { projectRoot, type IsolatedWorkspace } from "../support/engine";
import { EngineStack } from "../support/engineStack";

const UNKNOWN_TENANT = "0b2f6c1e-5a55-4d3c-9e0e-6d1f00c0ffee";
const UNKNOWN_CLIENT = "5d0c9a53-1f3e-4e43-8f6a-3c7b0d1e2f40";

interface Case {
  name: string;
  code: string;
  /** The sentence that says what to fix. */
  sentence: string;
  env(info: { tenantId: string; clientId: string; clientSecret: string }): Record<string, string>;
}

const CASES: Case[] = [
  {
    name: "an unknown tenant",
    code: "AADSTS90002",
    sentence: "Microsoft Entra ID has no such tenant: check AZURE_TENANT_ID",
    env: (i) => ({
      AZURE_TENANT_ID: UNKNOWN_TENANT,
      AZURE_CLIENT_ID: i.clientId,
      AZURE_CLIENT_SECRET: i.clientSecret,
    }),
  },
  {
    name: "a wrong client id",
    code: "AADSTS700016",
    sentence: "The tenant has no application with this client id",
    env: (i) => ({
      AZURE_TENANT_ID: i.tenantId,
      AZURE_CLIENT_ID: UNKNOWN_CLIENT,
      AZURE_CLIENT_SECRET: i.clientSecret,
    }),
  },
  {
    name: "a bad secret",
    code: "AADSTS7000215",
    sentence: "The client secret is wrong",
    env: (i) => ({
      AZURE_TENANT_ID: i.tenantId,
      AZURE_CLIENT_ID: i.clientId,
      AZURE_CLIENT_SECRET: "not-the-secret",
    }),
  },
];

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("sign-in errors say what Microsoft Entra ID said", function () {
  this.timeout(300_000);
  const emulator = useEmulator();

  function identity() {
    const writer = emulator.info.apps.writer;
    return {
      tenantId: emulator.info.tenantId,
      clientId: writer.clientId,
      clientSecret: writer.clientSecret,
    };
  }

  function environment(extra: Record<string, string>): Record<string, string> {
    return { ...emulator.env("writer"), ...extra };
  }

  describe("through the Graph client", () => {
    for (const c of CASES) {
      it(`${c.name}: ${c.code} and its own sentence, not a network problem`, async () => {
        const client = new GraphClient(
          resolveSettings(() => undefined, environment(c.env(identity()))),
          {
            maxRetries: 0,
          },
        );
        let error: unknown;
        try {
          await getAuthenticationMethodsPolicy(client);
        } catch (e) {
          error = e;
        }
        expect(error).to.be.instanceOf(GraphRequestError);
        const message = (error as Error).message;
        expect((error as GraphRequestError).kind).to.equal("signIn");
        expect(message).to.include(`${c.code}:`);
        expect(message).to.include(c.sentence);
        expect(message).to.not.match(/could not be reached|TLS certificate/);
        expect(occurrences(message, c.code), message).to.equal(1);
      });
    }

    it("a tenant named by its verified domain signs in like its id", async () => {
      const { clientId, clientSecret } = identity();
      const client = new GraphClient(
        resolveSettings(
          () => undefined,
          environment({
            AZURE_TENANT_ID: "contoso.onmicrosoft.com",
            AZURE_CLIENT_ID: clientId,
            AZURE_CLIENT_SECRET: clientSecret,
          }),
        ),
      );
      const policy = await getAuthenticationMethodsPolicy(client);
      expect(policy).to.have.property("registrationEnforcement");
    });
  });

  describe("through the CLI", () => {
    const cli = path.join(projectRoot, "dist", "provider", "cli.js");
    for (const c of CASES) {
      it(`report with ${c.name}: one sentence on stderr, exit 1, no stack trace`, async () => {
        const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
          (resolve) => {
            execFile(
              process.execPath,
              [cli, "report"],
              {
                env: {
                  ...process.env,
                  ...environment({ ...c.env(identity()), ENTRA_NUDGE_MAX_RETRIES: "0" }),
                },
              },
              (error, stdout, stderr) =>
                resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
            );
          },
        );
        expect(result.code, result.stderr).to.equal(1);
        expect(occurrences(result.stderr, c.code), result.stderr).to.equal(1);
        expect(result.stderr).to.include(c.sentence);
        expect(result.stderr).to.not.match(/\n\s+at /);
      });
    }
  });

  describe("through the engine", () => {
    let workspace: IsolatedWorkspace;
    let stack: Stack;
    before(async () => {
      ({ stack, workspace } = await EngineStack.create({
        stackName: "signin",
        projectName: "entra-nudge-sign-in",
        program: () => {
          new AuthenticatorPolicy("authenticator", { state: "enabled" });
        },
      }));
    });
    after(async () => workspace?.cleanup());

    async function run(
      operation: "up" | "refresh",
      env: Record<string, string>,
    ): Promise<{ error: unknown; diagnostics: string }> {
      Object.assign(stack.workspace.envVars, env);
      const events: EngineEvent[] = [];
      let error: unknown;
      try {
        await stack[operation]({ onEvent: (event) => events.push(event) });
      } catch (e) {
        error = e;
      }
      const diagnostics = events
        .map((event) => event.diagnosticEvent)
        .filter((d) => d !== undefined)
        .map((d) => (d as { message: string }).message)
        .join("\n");
      return { error, diagnostics };
    }

    for (const c of CASES) {
      it(`up with ${c.name}: the sentence once, no stack trace`, async () => {
        const { error, diagnostics } = await run(
          "up",
          environment({ ...c.env(identity()), ENTRA_NUDGE_MAX_RETRIES: "0" }),
        );
        expect(error, "the update fails").to.not.equal(undefined);
        expect(occurrences(diagnostics, c.sentence), diagnostics).to.equal(1);
        expect(diagnostics).to.not.match(/\n\s+at |GraphRequestError: /);
      });
    }

    it("refresh (the provider's read) with a bad secret: the sentence once, no stack trace", async () => {
      const good = await run("up", environment({}));
      expect(good.error, good.diagnostics).to.equal(undefined);
      const c = CASES[2];
      const { error, diagnostics } = await run(
        "refresh",
        environment({ ...c.env(identity()), ENTRA_NUDGE_MAX_RETRIES: "0" }),
      );
      expect(error, "the refresh fails").to.not.equal(undefined);
      expect(occurrences(diagnostics, c.sentence), diagnostics).to.equal(1);
      expect(diagnostics).to.not.match(/\n\s+at |GraphRequestError: /);
    });
  });
});
