// Issue 23, "examples that are safe as written": the seed program, the README's first program,
// every runnable example (each stage) and the docs/passkeys.md declaration, each through the real
// engine against the emulator's default tenant:
//  - `pulumi preview` with the package's policy pack (the analyzer launcher on an engine without a
//    Node.js language host, as tests/policy/pack.test.ts runs it) and the pack config that
//    docs/guardrails.md documents: no mandatory violation, the preview passes;
//  - `pulumi up`, then the registration report (Graph's userRegistrationDetails, which the emulator
//    computes from the method policies on its own) shows nobody worse off than before: still
//    MFA-capable, still passwordless-capable, and their strongest usable phone or app method
//    (systemPreferredAuthenticationMethods) not weaker. The witness is shown to catch the old
//    seed program's narrowing (8 users lose Authenticator push).
// examples/azuread-interop needs the @pulumi/azuread plugin, which cannot be obtained here: its
// wiring test (tests/wiring/azuread-interop.test.ts) runs the pack's rules on it in-process.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as ts from "typescript";
import { type EngineEvent, type PolicyEvent, type Stack } from "@pulumi/pulumi/automation";
import * as nudge from "../../provider";
import { POLICY } from "../../provider/policy";
import seedScenario from "../../examples/seed-scenario";
import { stagedRollout, type Stage as RolloutStage } from "../../examples/staged-rollout/program";
import {
  authenticatorToPasskeys,
  type Stage as PasskeyStage,
} from "../../examples/authenticator-to-passkeys/program";
import { microsoftManagedPinnedExclusions } from "../../examples/microsoft-managed-pinned-exclusions/program";
import { useEmulator } from "../support/emulator";
import { projectRoot, type IsolatedWorkspace } from "../support/engine";
import { EngineStack, policyWorkspace } from "../support/engineStack";
import { docBlock } from "../support/docBlocks";
import { AUTHENTICATOR_PATH, Tenant } from "../support/tenant";

const POLICY_PACK_DIR = path.join(projectRoot, "policy");

// Objects of emulator/tenants/default.json.
const BREAK_GLASS_GROUP = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const PILOT_USER = "pilot.user@contoso.onmicrosoft.com";
const PILOT_USER_ID = "bb1d6c17-7043-5689-a17d-aa610e2a4115";

/** The pack config docs/guardrails.md shows (the break-glass group, 3 snooze days, OTP advisory). */
const DOCUMENTED_CONFIG = JSON.parse(
  docBlock("docs/guardrails.md", "guardrails-config").text,
) as Record<string, unknown>;

/** A TypeScript block of the docs run as a program: `names` are the values the fragment uses. */
function docProgram(blocks: [string, string][], names: Record<string, unknown>): () => void {
  const source = blocks.map(([page, id]) => docBlock(page, id).text).join("\n");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const requireFor = (name: string): unknown => {
    if (name === "pulumi-entra-nudge") return nudge;
    throw new Error(`The documented program imports ${name}, which this test does not provide.`);
  };
  const run = new Function("require", "exports", ...Object.keys(names), outputText) as (
    ...args: unknown[]
  ) => void;
  return () => run(requireFor, {}, ...Object.values(names));
}

interface RegistrationRow {
  id: string;
  userPrincipalName: string;
  isMfaCapable: boolean;
  isPasswordlessCapable: boolean;
  systemPreferredAuthenticationMethods: string[];
}

/** The registration report's rows by user, following every page. */
async function registrationReport(tenant: Tenant): Promise<Map<string, RegistrationRow>> {
  const rows = new Map<string, RegistrationRow>();
  let next: string | undefined = "/v1.0/reports/authenticationMethods/userRegistrationDetails";
  while (next) {
    const page: { value: RegistrationRow[]; "@odata.nextLink"?: string } = await tenant.get(
      next,
      "reader",
    );
    for (const row of page.value) rows.set(row.id, row);
    const link = page["@odata.nextLink"];
    next = link ? new URL(link).pathname + new URL(link).search : undefined;
  }
  return rows;
}

/** Strongest first (the report's systemPreferredAuthenticationMethods of phone and app methods). */
const METHOD_STRENGTH = ["push", "oath", "sms", "voiceAlternateMobile", "voiceOffice"];
const rank = (methods: string[]) =>
  methods.length === 0 ? METHOD_STRENGTH.length : METHOD_STRENGTH.indexOf(methods[0]);

/** Who is worse off in `after` than in `before`, one line each ("Joni Sherman: push → none"). */
function methodLosses(
  before: Map<string, RegistrationRow>,
  after: Map<string, RegistrationRow>,
): string[] {
  const losses: string[] = [];
  for (const [id, was] of before) {
    const now = after.get(id);
    if (!now) continue;
    const lost: string[] = [];
    if (was.isMfaCapable && !now.isMfaCapable) lost.push("no longer MFA-capable");
    if (was.isPasswordlessCapable && !now.isPasswordlessCapable)
      lost.push("no longer passwordless-capable");
    const [from, to] = [
      was.systemPreferredAuthenticationMethods,
      now.systemPreferredAuthenticationMethods,
    ];
    if (rank(to) > rank(from)) lost.push(`${from[0] ?? "none"} → ${to[0] ?? "none"}`);
    if (lost.length > 0) losses.push(`${was.userPrincipalName}: ${lost.join(", ")}`);
  }
  return losses.sort();
}

describe("the examples are safe as written: the policy pack passes and nobody loses a method", function () {
  // Each preview starts the CLI, the provider and the policy pack; each up the CLI and provider.
  this.timeout(300_000);
  const emulator = useEmulator();
  let tenant: Tenant;
  let workspace: IsolatedWorkspace;
  let program: () => void = () => undefined;
  let stacks = 0;

  before(async () => {
    tenant = new Tenant(emulator);
    workspace = await policyWorkspace();
  });
  after(async () => workspace?.cleanup());

  let previous: Stack | undefined;

  /** A new stack on a fresh default tenant, running whatever `program` holds at each operation. */
  async function freshStack(): Promise<Stack> {
    // The tenant is reset, so the previous example's stack manages nothing any more: forgotten,
    // or the next example's adoption would be refused as a second stack managing the singletons.
    if (previous) await previous.workspace.removeStack(previous.name, { force: true });
    emulator.reset();
    const { stack } = await EngineStack.create({
      stackName: `example-${++stacks}`,
      projectName: "entra-nudge-examples",
      workspace,
      program: () => program(),
      emulator,
    });
    return (previous = stack);
  }

  let configs = 0;
  /** `pulumi preview` with the pack: its violations by level; fails the test if the preview fails. */
  async function previewWithPack(stack: Stack, config: object): Promise<PolicyEvent[]> {
    const file = path.join(workspace.dir, `policy-config-${++configs}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    const violations: PolicyEvent[] = [];
    const onEvent = (event: EngineEvent) => {
      if (event.policyEvent) violations.push(event.policyEvent);
    };
    try {
      await stack.preview({ policyPacks: [POLICY_PACK_DIR], policyPackConfigs: [file], onEvent });
    } catch (error) {
      const said = violations.map((v) => `${v.policyName}: ${v.message}`).join("\n");
      throw new Error(`The preview failed:\n${said}\n${String(error)}`);
    }
    return violations;
  }

  /**
   * Each declaration in turn on one stack: the pack passes (advisory findings allowed only where
   * `advisory` lists the policy), up, and nobody is worse off than on the untouched tenant.
   */
  async function safeAsWritten(
    declarations: { name: string; program: () => void }[],
    options: { config?: object; advisory?: string[] } = {},
  ): Promise<void> {
    const stack = await freshStack();
    const untouched = await registrationReport(tenant);
    for (const declaration of declarations) {
      program = declaration.program;
      const violations = await previewWithPack(stack, options.config ?? DOCUMENTED_CONFIG);
      const unexpected = violations.filter(
        (v) =>
          String(v.enforcementLevel) !== "advisory" ||
          !(options.advisory ?? []).includes(v.policyName),
      );
      expect(
        unexpected.map((v) => `${v.policyName}: ${v.message}`),
        `${declaration.name}: policy pack findings`,
      ).to.deep.equal([]);
      await stack.up();
      expect(
        methodLosses(untouched, await registrationReport(tenant)),
        `${declaration.name}: users worse off after up`,
      ).to.deep.equal([]);
    }
  }

  it("the witness: the seed program's old narrowing of Authenticator to the pilot takes push from 8 users", async () => {
    emulator.reset();
    const before = await registrationReport(tenant);
    const authenticator = await tenant.authenticator();
    // What the old seed program wrote: Authenticator for its pilot group, whose one member is the
    // pilot user (a user target here, so that no group has to be created).
    await tenant.patch(AUTHENTICATOR_PATH, {
      "@odata.type": authenticator["@odata.type"],
      includeTargets: [
        {
          id: PILOT_USER_ID,
          targetType: "user",
          isRegistrationRequired: false,
          authenticationMode: "any",
        },
      ],
    });
    const losses = methodLosses(before, await registrationReport(tenant));
    expect(losses, losses.join("\n")).to.have.length(8);
    expect(
      losses.filter((line) => / push → /.test(line)),
      "each loses push",
    ).to.have.length(8);
    expect(losses).to.include(
      "JoniS@contoso.onmicrosoft.com: no longer MFA-capable, push → none",
      "the user whose only method is Authenticator push",
    );
  });

  it("the seed program (examples/seed-scenario, the root Pulumi.yaml, npm start)", async () => {
    // OTP codes are left unmanaged (turning them off would take them from users who use them), so
    // the documented config's advisory OTP finding is expected.
    await safeAsWritten([{ name: "seed", program: () => void seedScenario() }], {
      advisory: [POLICY.authenticatorOtpOff],
    });
  });

  it("the README's first program", async () => {
    await safeAsWritten(
      [{ name: "README", program: docProgram([["README.md", "first-program"]], {}) }],
      { advisory: [POLICY.authenticatorOtpOff] },
    );
  });

  it("examples/staged-rollout, stage pilot then all", async () => {
    const stage = (s: RolloutStage) => ({
      name: `stage ${s}`,
      program: () =>
        void stagedRollout({
          stage: s,
          breakGlassGroupId: BREAK_GLASS_GROUP,
          pilotMembers: [PILOT_USER],
        }),
    });
    await safeAsWritten([stage("pilot"), stage("all")], { advisory: [POLICY.authenticatorOtpOff] });
  });

  it("examples/authenticator-to-passkeys, stages 1, 2 and 3", async () => {
    const stage = (s: PasskeyStage) => ({
      name: `stage ${s}`,
      program: () =>
        void authenticatorToPasskeys({
          stage: s,
          breakGlassGroupId: BREAK_GLASS_GROUP,
          pilotMembers: [PILOT_USER],
        }),
    });
    await safeAsWritten([stage(1), stage(2), stage(3)], {
      advisory: [POLICY.authenticatorOtpOff],
    });
  });

  it("examples/microsoft-managed-pinned-exclusions, with Microsoft-managed campaigns allowed as its README says", async () => {
    await safeAsWritten(
      [
        {
          name: "pinned exclusions",
          program: () =>
            void microsoftManagedPinnedExclusions({ breakGlassGroupId: BREAK_GLASS_GROUP }),
        },
      ],
      {
        config: {
          ...DOCUMENTED_CONFIG,
          [POLICY.campaignPinned]: { allowedStates: ["enabled", "disabled", "default"] },
        },
      },
    );
  });

  it("the docs/passkeys.md campaign and PasskeyPolicy, the break-glass accounts keeping their security keys", async () => {
    await safeAsWritten([
      {
        name: "docs/passkeys.md",
        program: docProgram(
          [
            ["docs/passkeys.md", "passkey-campaign"],
            ["docs/passkeys.md", "passkey-policy"],
          ],
          {
            RegistrationCampaign: nudge.RegistrationCampaign,
            PasskeyPolicy: nudge.PasskeyPolicy,
            pilotGroupId: PILOT_GROUP,
            breakGlassGroupId: BREAK_GLASS_GROUP,
          },
        ),
      },
    ]);
  });
});
