// The method-loss check of AuthenticatorPolicy and PasskeyPolicy: before a change (adoption
// included) is applied, who has the method registered and would no longer be allowed to use it
// (model/methodLoss.ts). It runs in check(), which the engine calls at every preview and again in
// `pulumi up` before create or update, with every value known by then: a target known only after
// apply (a group created in the same program) is checked in `up`, and a refusal there stops the
// resource before its first write.
//
// - A loss fails the check unless `allowMethodLoss: true`; with it, the loss is a warning.
// - Break-glass accounts (members of the entra-nudge:breakGlassGroups groups) left with no other
//   MFA method fail it even then, unless `allowMethodLossFor` names them (object id or UPN).
// - Reads: the configuration in force (one GET), the registration report's rows of the users who
//   hold the method (a filtered query per registration value, or a fresh cached scan), and the
//   users of the groups either side names. Nothing is read for an update whose settings are
//   unchanged (no write follows), nor when the declaration equals what the tenant holds.
// - Without the report (no permission, no P1/P2 licence) the check says it could not check (a
//   warning), and the change goes on.
import {
  DEFAULT_SCAN_CACHE_TTL_SECONDS,
  defaultCacheRoot,
  parseCacheTtl,
} from "../../eligibility/cache";
import { readMethodHolders, type HolderCache } from "../../eligibility/methodHolders";
import { PremiumLicenceRequiredError } from "../../eligibility/scan";
import { GraphRequestError, REPORT_READ, type GraphClient } from "../../graph";
import { ReportError } from "../../errors";
import { declaredPasskey } from "../../impact/declaration";
import { readAuthenticator, readPasskey } from "../../live";
import {
  ALL_USERS,
  authenticatorMethodLoss,
  containsUnknown,
  describeChanges,
  describeMethodLoss,
  groupsDecidingLoss,
  passkeyEligibility,
  passkeyGraphVersion,
  passkeyMethodLoss,
  type AuthenticatorSettings,
  type LossMethod,
  type MethodLoss,
  type PasskeySettings,
} from "../../model";
import * as context from "./processSession";

export type LossKind = "AuthenticatorPolicy" | "PasskeyPolicy";

interface CheckFailure {
  property: string;
  reason: string;
}

/** What decides who may use the method: a value unknown here defers the check to `up`. */
const DECIDING: Record<LossKind, readonly string[]> = {
  AuthenticatorPolicy: ["state", "includeTargets", "excludeTargets"],
  PasskeyPolicy: ["state", "includeTargets", "excludeTargets", "passkeyProfiles"],
};

const METHOD: Record<LossKind, LossMethod> = {
  AuthenticatorPolicy: "microsoftAuthenticator",
  PasskeyPolicy: "passkey",
};

function settingsOf<T>(inputs: Record<string, unknown>): T {
  const settings = { ...inputs };
  for (const name of [
    "onDelete",
    "failOnExternalChange",
    "allowMethodLoss",
    "allowMethodLossFor",
  ]) {
    delete settings[name];
  }
  return settings as T;
}

/** The scan cache the check may reuse: as the commands set it (off for a non-Microsoft endpoint unless asked). */
function holderCache(graph: GraphClient, tenantId: string): HolderCache | undefined {
  const env = context.environment();
  const fromEnv = env.ENTRA_NUDGE_SCAN_CACHE_TTL;
  let ttlSeconds: number;
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    try {
      ttlSeconds = parseCacheTtl(fromEnv, "ENTRA_NUDGE_SCAN_CACHE_TTL");
    } catch {
      ttlSeconds = 0;
    }
  } else {
    ttlSeconds = graph.settings.customHosts.length > 0 ? 0 : DEFAULT_SCAN_CACHE_TTL_SECONDS;
  }
  return ttlSeconds > 0
    ? { settings: { ttlSeconds, root: defaultCacheRoot(env) }, tenantId }
    : undefined;
}

/** The loss the declaration causes, read from the tenant (undefined: nothing to check). */
async function computeLoss(
  kind: LossKind,
  inputs: Record<string, unknown>,
): Promise<MethodLoss | undefined> {
  const graph = context.graph();
  const breakGlassGroups = context.breakGlassGroups();
  const read = async (groupIds: string[]) =>
    readMethodHolders(
      graph,
      METHOD[kind],
      [...groupIds, ...breakGlassGroups],
      holderCache(graph, await context.tenantId()),
    );
  if (kind === "AuthenticatorPolicy") {
    const declared = settingsOf<AuthenticatorSettings>(inputs);
    // Everyone in mode any, nobody excluded: nobody can lose it, whatever the tenant holds now.
    if (
      declared.state === "enabled" &&
      declared.excludeTargets.length === 0 &&
      declared.includeTargets.some((t) => t.id === ALL_USERS && t.authenticationMode === "any")
    ) {
      return undefined;
    }
    const current = await readAuthenticator(graph, "v1.0");
    // Only who may use it decides (a feature setting or one-time codes take no method away).
    const deciding = {
      ...current,
      state: declared.state,
      includeTargets: declared.includeTargets,
      excludeTargets: declared.excludeTargets,
    };
    if (describeChanges(kind, deciding, current).length === 0) return undefined;
    const holders = await read(groupsDecidingLoss(current, declared));
    return authenticatorMethodLoss(current, declared, holders.users, { breakGlassGroups });
  }
  const current = passkeyEligibility(await readPasskey(graph, passkeyGraphVersion()));
  let declared;
  try {
    declared = declaredPasskey(settingsOf<PasskeySettings>(inputs), current, "PasskeyPolicy");
  } catch (err) {
    // A reference to no profile: the write refuses it, naming it, before anything is written.
    if (err instanceof ReportError) return undefined;
    throw err;
  }
  const holders = await read(groupsDecidingLoss(current, declared));
  return passkeyMethodLoss(current, declared, holders.users, { breakGlassGroups });
}

/** Break-glass accounts left with no MFA method that `allowMethodLossFor` does not name. */
function unacceptedBreakGlass(loss: MethodLoss, accepted: readonly string[]) {
  const names = new Set(accepted.map((name) => name.toLowerCase()));
  return loss.losers.filter(
    (user) =>
      user.breakGlass &&
      user.onlyMfaMethod &&
      !names.has(user.id) &&
      !names.has(user.userPrincipalName.toLowerCase()),
  );
}

/**
 * The check's failures (empty: go on). `olds` are the recorded outputs of an update, or {} for a
 * create.
 */
export async function checkMethodLoss(
  kind: LossKind,
  inputs: Record<string, unknown>,
  olds: Record<string, unknown>,
): Promise<CheckFailure[]> {
  if (DECIDING[kind].some((name) => containsUnknown(inputs[name]))) {
    context.warn(
      `${kind}: who would lose ${kind === "AuthenticatorPolicy" ? "Microsoft Authenticator" : "their passkey"} cannot be checked yet: ` +
        `the targets depend on values known only after apply (such as the id of a group created in this program). ` +
        `\`pulumi up\` checks it once they are known, before anything is written.`,
    );
    return [];
  }
  // An update whose settings are unchanged writes nothing, so it takes nothing away.
  if (
    Object.keys(olds).length > 0 &&
    describeChanges(kind, inputs as never, olds as never).length === 0
  )
    return [];
  let loss: MethodLoss | undefined;
  try {
    loss = await computeLoss(kind, inputs);
  } catch (err) {
    const forbidden = err instanceof GraphRequestError && err.kind === "forbidden";
    if (!forbidden && !(err instanceof PremiumLicenceRequiredError)) throw err;
    context.warn(
      `${kind}: could not check who would lose ${kind === "AuthenticatorPolicy" ? "Microsoft Authenticator" : "their passkey"} with this change: ` +
        (err instanceof PremiumLicenceRequiredError
          ? "the registration report needs a Microsoft Entra ID P1 or P2 licence. "
          : `reading the registration report and the targets' members needs the application permissions ${REPORT_READ} and GroupMember.Read.All. `) +
        `Review the change by hand before applying it. ${(err as Error).message}`,
    );
    return [];
  }
  if (!loss || loss.users === 0) return [];
  const words = describeMethodLoss(loss);
  const allowed = inputs.allowMethodLoss === true;
  const accepted = Array.isArray(inputs.allowMethodLossFor)
    ? (inputs.allowMethodLossFor as string[])
    : [];
  const stranded = unacceptedBreakGlass(loss, accepted);
  const failures: CheckFailure[] = [];
  if (!allowed) {
    failures.push({
      property: "allowMethodLoss",
      reason:
        `This change takes a sign-in method away. ${words} ` +
        `Keep them included (or leave the setting as it is), or set allowMethodLoss: true to accept it; nothing has been written.`,
    });
  } else {
    context.warn(`${kind}: allowMethodLoss is true, so this change goes on: ${words}`);
  }
  if (stranded.length > 0) {
    failures.push({
      property: "allowMethodLossFor",
      reason:
        `${stranded.length === 1 ? "A break-glass account" : `${stranded.length} break-glass accounts`} (entra-nudge:breakGlassGroups) would be left with no MFA method: ` +
        `${stranded.map((user) => `${user.userPrincipalName} (${user.id})`).join(", ")}. ` +
        `An emergency-access account must keep a method it can sign in with. Keep it included, or, if this is deliberate, ` +
        `list it in allowMethodLossFor (object id or user principal name); nothing has been written.`,
    });
  }
  return failures;
}
