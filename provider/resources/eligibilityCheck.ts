// The preview check that needs both singletons: are the campaign's targets enabled for Microsoft
// Authenticator (mode any or push), and would a break-glass group be nudged? The two resources'
// providers run separately and never see each other's inputs, so the check runs here, in the
// program's process: each RegistrationCampaign and AuthenticatorPolicy joins a registry of the
// current run, and every campaign/policy pair is checked once both exist (the rules are
// model/eligibility.ts's checkTargetCoverage). A PasskeyPolicy joins the same way: the campaign's
// passkey (fido2) targets are checked against it (checkPasskeyCoverage: policy disabled,
// self-service setup off, targets it does not enable).
//
// - Findings are warnings on the campaign; with `strictEligibility: true` the blocking ones fail
//   the run. When the policy was declared before the campaign (the usual order, and the seed
//   scenario's), the campaign's registration waits for the check, so a strict failure also stops
//   `pulumi up` before the campaign is written.
// - Values unknown during preview (the id of a group created in the same program) never fail the
//   check: it says what cannot be checked yet, and checks it once the value is known.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "../config";
import {
  BREAK_GLASS_CONFIG_KEY,
  UNKNOWN,
  checkPasskeyCoverage,
  checkTargetCoverage,
  normalizeAuthenticatorArgs,
  normalizeCampaignArgs,
  normalizePasskeyArgs,
  parseBreakGlassGroups,
  type AuthenticatorLike,
  type CampaignLike,
  type CoverageFinding,
  type PasskeyLike,
} from "../model";

interface Entry {
  name: string;
  args: pulumi.Input<object>;
  resource?: pulumi.Resource;
}

interface RunRegistry {
  campaigns: Entry[];
  authenticators: Entry[];
  passkeys: Entry[];
}

type PolicyKind = "AuthenticatorPolicy" | "PasskeyPolicy";

// One registry per program run: Automation API runs several programs (and a preview then an
// update) in one process, each with its own resource monitor, which keys the registry.
const registries = new WeakMap<object, RunRegistry>();
const outsideARun = {};

function registry(): RunRegistry {
  const key = pulumi.runtime.getMonitor() ?? outsideARun;
  let found = registries.get(key);
  if (!found) {
    found = { campaigns: [], authenticators: [], passkeys: [] };
    registries.set(key, found);
  }
  return found;
}

/**
 * Output.apply that also runs while values are unknown (they arrive as pulumi.unknown). The SDK
 * uses this second parameter for its own property proxies; it is not in the public typings.
 */
function applyWithUnknowns<U>(
  output: pulumi.Output<unknown>,
  func: (value: unknown) => U | Promise<U>,
): pulumi.Output<U> {
  const withUnknowns = output as unknown as {
    apply(func: (value: unknown) => U | Promise<U>, runWithUnknowns: boolean): pulumi.Output<U>;
  };
  return withUnknowns.apply(func, true);
}

/** pulumi.unknown anywhere in a value → the model's unknown sentinel (what check() sees too). */
function withModelUnknowns(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(withModelUnknowns);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, withModelUnknowns(inner)]),
    );
  }
  return value;
}

function breakGlassGroups(): { groups: string[]; problems: string[] } {
  const text = new pulumi.Config(CONFIG_NAMESPACE).get(BREAK_GLASS_CONFIG_KEY);
  return parseBreakGlassGroups(text);
}

/** Thrown (through the campaign's inputs) when strictEligibility finds targets nobody can be nudged in. */
export class EligibilityCheckError extends Error {
  constructor(campaign: string, findings: readonly CoverageFinding[]) {
    super(
      `RegistrationCampaign "${campaign}" (strictEligibility: true): ${findings.length === 1 ? "a target" : `${findings.length} targets`} cannot be nudged:\n` +
        findings.map((finding) => `  - ${finding.message}`).join("\n"),
    );
    this.name = "EligibilityCheckError";
    // A finding about the program, not a bug: the engine shows the message without a stack.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/**
 * Checks one campaign against one policy once their inputs resolve (unknowns included), and logs
 * the findings. A strict failure rejects with EligibilityCheckError ("throw": the output holds the
 * campaign's registration back) or is logged as an error, which fails the run ("log": the campaign
 * registered before the policy existed).
 *
 * Logs are sent, not awaited: a log on a resource waits for its URN, which a held-back campaign
 * gets only after this check (awaiting would deadlock), and each log keeps the run open until it
 * is delivered. A campaign that will fail to register gets no URN, so its logs go unattached.
 */
function checkPair(
  campaign: Entry,
  policyKind: PolicyKind,
  policy: Entry,
  strictFailure: "throw" | "log",
): pulumi.Output<void> {
  // Keeps the run open until the check has run, even when nothing waits for this output.
  const done = pulumi.runtime.rpcKeepAlive();
  const inputs = pulumi.output({ campaign: campaign.args, policy: policy.args });
  return applyWithUnknowns(inputs, (raw) => {
    try {
      const resolved = withModelUnknowns(raw) as { campaign: CampaignLike; policy: unknown };
      const campaignInputs = normalizeCampaignArgs(resolved.campaign);
      // The break-glass groups are checked against the Authenticator campaign targets; the
      // passkey half has no break-glass finding (the policy pack's passkey rule covers that).
      const breakGlass =
        policyKind === "AuthenticatorPolicy" ? breakGlassGroups() : { groups: [], problems: [] };
      const findings =
        policyKind === "AuthenticatorPolicy"
          ? checkTargetCoverage(
              campaignInputs,
              normalizeAuthenticatorArgs(resolved.policy as AuthenticatorLike),
              breakGlass.groups,
            )
          : checkPasskeyCoverage(
              campaignInputs,
              normalizePasskeyArgs(resolved.policy as PasskeyLike),
            );
      const strict = campaignInputs.strictEligibility === true;
      const blocking = findings.filter((finding) => finding.blocking);
      const failing = strict && blocking.length > 0;
      const attached = failing && strictFailure === "throw" ? undefined : campaign.resource;
      const prefix = attached ? "" : `RegistrationCampaign "${campaign.name}": `;
      for (const problem of breakGlass.problems) void pulumi.log.warn(prefix + problem, attached);
      for (const finding of findings) {
        if (strict && finding.blocking) continue;
        const text = `${prefix}Eligibility check (with ${policyKind} "${policy.name}"): ${finding.message}`;
        if (finding.kind === "cannotCheckYet") void pulumi.log.info(text, attached);
        else void pulumi.log.warn(text, attached);
      }
      if (failing) {
        const error = new EligibilityCheckError(campaign.name, blocking);
        if (strictFailure === "throw") throw error;
        void pulumi.log.error(error.message, attached);
      }
    } finally {
      done();
    }
  });
}

/** Passes `value` on once `gates` have settled (rejecting when one rejects). */
function gated<T>(value: pulumi.Input<T>, gates: pulumi.Output<void>[]): pulumi.Output<T> {
  return pulumi.all(gates).apply(() => value) as pulumi.Output<T>;
}

/**
 * Joins a RegistrationCampaign to the run's registry before it registers. Returns the `state`
 * input to register with (held back by the checks against policies declared earlier) and a
 * function to call with the constructed resource.
 */
export function joinCampaign<S>(
  name: string,
  args: pulumi.Input<object> & { state: pulumi.Input<S> },
): { state: pulumi.Input<S>; attach(resource: pulumi.Resource): void } {
  const run = registry();
  const entry: Entry = { name, args };
  run.campaigns.push(entry);
  const checks = [
    ...run.authenticators.map((policy) => checkPair(entry, "AuthenticatorPolicy", policy, "throw")),
    ...run.passkeys.map((policy) => checkPair(entry, "PasskeyPolicy", policy, "throw")),
  ];
  return {
    state: checks.length > 0 ? gated(args.state, checks) : args.state,
    attach(resource) {
      entry.resource = resource;
    },
  };
}

/** Joins an AuthenticatorPolicy: checked against every campaign declared before it. */
export function joinAuthenticator(name: string, args: pulumi.Input<object>): void {
  const run = registry();
  const entry: Entry = { name, args };
  run.authenticators.push(entry);
  // These campaigns registered already: a strict failure fails the run but cannot hold their
  // writes back (declare the policy first for that).
  for (const campaign of run.campaigns) checkPair(campaign, "AuthenticatorPolicy", entry, "log");
}

/** Joins a PasskeyPolicy: checked against every campaign declared before it (as joinAuthenticator). */
export function joinPasskey(name: string, args: pulumi.Input<object>): void {
  const run = registry();
  const entry: Entry = { name, args };
  run.passkeys.push(entry);
  for (const campaign of run.campaigns) checkPair(campaign, "PasskeyPolicy", entry, "log");
}
