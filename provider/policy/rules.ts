// The guardrails as pure functions: a resource's properties (declared arguments, the canonical
// inputs the engine analyses, or recorded outputs) and the organisation's settings in, violations
// out. The policy pack (pack.ts) only wires them to @pulumi/policy, so each rule is tested here
// without an engine. Values unknown during a preview (the model's UNKNOWN sentinel) are skipped:
// the engine runs the policies again during `pulumi up`, once every value is known.
import {
  ALL_USERS,
  checkTargetCoverage,
  isUnknown,
  normalizeAuthenticatorArgs,
  nudgeMethodOf,
  normalizeCampaignArgs,
  normalizePasskeyArgs,
  type AuthenticatorLike,
  type CampaignLike,
  type PasskeyLike,
  type FeatureSettingName,
} from "../model";
import type { BreakGlassConfig, CampaignPinnedConfig, MaxSnoozeConfig } from "./config";

export interface Violation {
  message: string;
}

/** A resource's properties as the engine hands them over (any shape; the normalizers are total). */
export type Props = Record<string, unknown>;

interface Target {
  id: string;
  targetType: string;
}

/** The targets of a list whose ids are known, and whether the list is complete (no unknowns). */
function knownTargets<T extends object>(
  list: unknown,
): { targets: (T & Target)[]; complete: boolean } {
  if (!Array.isArray(list)) return { targets: [], complete: !isUnknown(list) };
  const targets: (T & Target)[] = [];
  let complete = true;
  for (const item of list as unknown[]) {
    const id = typeof item === "object" && item !== null ? (item as Target).id : undefined;
    if (typeof id === "string" && !isUnknown(id)) targets.push(item as T & Target);
    else complete = false;
  }
  return { targets, complete };
}

interface BreakGlassAccount {
  id: string;
  targetType: "group" | "user";
  /** "break-glass group 6dbc…" */
  label: string;
}

function breakGlassAccounts(config: BreakGlassConfig): BreakGlassAccount[] {
  return [
    ...config.groupIds.map((id) => ({
      id,
      targetType: "group" as const,
      label: `break-glass group ${id}`,
    })),
    ...config.userIds.map((id) => ({
      id,
      targetType: "user" as const,
      label: `break-glass user ${id}`,
    })),
  ];
}

const NOT_CONFIGURED: Violation = {
  message:
    "No break-glass (emergency access) accounts are configured, so nothing protects them from being nudged or " +
    'forced into Microsoft Authenticator. List their object ids under "break-glass-excluded": { "groupIds": [...], ' +
    '"userIds": [...] } in the policy pack config, or set that policy\'s enforcementLevel to "disabled" if the tenant has none.',
};

/** Whether a method target may reach the account (a policy cannot see group membership). */
function mayReach(target: Target, account: BreakGlassAccount): boolean {
  return (
    target.id === ALL_USERS ||
    target.id === account.id ||
    target.targetType === "group" ||
    isUnknown(target.targetType)
  );
}

/** How a target that may reach the account reaches it, for the violation's sentence. */
function reachPhrase(target: Target, account: BreakGlassAccount): string {
  if (target.id === account.id) return "";
  return target.id === ALL_USERS
    ? ", which includes them,"
    : ", which may contain them (a policy cannot see group membership),";
}

function exclusion(account: BreakGlassAccount): string {
  return `{ id: "${account.id}", targetType: "${account.targetType}" }`;
}

/**
 * Break-glass accounts are excluded from the campaign. Why: a Microsoft-managed campaign, or one with
 * enforceRegistrationAfterAllowedSnoozes, makes registration mandatory after 3 snoozes
 * (graph-contract.md §2.2, §2.8): an emergency sign-in must never stop at a registration wizard,
 * and these accounts should keep a sign-in method independent of everyone else's phone app.
 * Exclusion is required explicitly, whatever the Authenticator policy, so a later change there
 * cannot start nudging them. A disabled campaign nudges nobody.
 */
export function breakGlassCampaignViolations(props: Props, config: BreakGlassConfig): Violation[] {
  const accounts = breakGlassAccounts(config);
  if (accounts.length === 0) return [NOT_CONFIGURED];
  const campaign = normalizeCampaignArgs(props as unknown as CampaignLike);
  if (campaign.state === "disabled") return [];
  const excluded = knownTargets<Target>(campaign.excludeTargets);
  const violations: Violation[] = [];
  for (const account of accounts) {
    if (excluded.targets.some((target) => target.id === account.id)) continue;
    if (!excluded.complete) continue; // an unknown exclusion may be this one
    violations.push({
      message:
        `The registration campaign does not exclude the ${account.label}. Emergency-access accounts must never be nudged: ` +
        `after 3 snoozes registration becomes mandatory (Microsoft-managed campaigns always do this), and an emergency ` +
        `sign-in must not stop at a registration wizard. Add ${exclusion(account)} to the campaign's excludeTargets.`,
    });
  }
  return violations;
}

/**
 * Break-glass accounts are excluded from Authenticator targets that could lock them out: a target
 * that requires registration (isRegistrationRequired, contract §3.4) interrupts their sign-in until
 * Authenticator is set up, and a Passwordless-only target ("deviceBasedPush", §3.4) removes push
 * MFA from an account that relies on it. A policy cannot see group membership, so any group target
 * (and all_users) may reach them; only their exclusion settles it. A disabled configuration
 * targets nobody.
 */
export function breakGlassAuthenticatorViolations(
  props: Props,
  config: BreakGlassConfig,
): Violation[] {
  const accounts = breakGlassAccounts(config);
  if (accounts.length === 0) return [NOT_CONFIGURED];
  const authenticator = normalizeAuthenticatorArgs(props as unknown as AuthenticatorLike);
  if (authenticator.state === "disabled") return [];
  const included = knownTargets<{ authenticationMode?: unknown; isRegistrationRequired?: unknown }>(
    authenticator.includeTargets,
  );
  const excluded = knownTargets<Target>(authenticator.excludeTargets);
  const violations: Violation[] = [];
  for (const account of accounts) {
    if (excluded.targets.some((target) => target.id === account.id)) continue;
    if (!excluded.complete) continue;
    const risky = included.targets.filter(
      (target) =>
        mayReach(target, account) &&
        (target.isRegistrationRequired === true || target.authenticationMode === "deviceBasedPush"),
    );
    for (const target of risky) {
      const who = target.id === ALL_USERS ? "all users" : `${target.targetType} ${target.id}`;
      const why =
        target.isRegistrationRequired === true
          ? "requires registration (isRegistrationRequired), which would stop an emergency sign-in until Authenticator is set up"
          : 'allows only Passwordless mode ("deviceBasedPush"), which takes push MFA away from an account that relies on it';
      violations.push({
        message:
          `The Microsoft Authenticator target ${who}${reachPhrase(target, account)} ${why}, and the ${account.label} is not excluded. ` +
          `Add ${exclusion(account)} to the AuthenticatorPolicy's excludeTargets (emergency-access accounts should sign in ` +
          `with a method that does not depend on Authenticator), or drop the requirement from that target.`,
      });
    }
  }
  return violations;
}

/** Microsoft's emergency-access guidance, named in the passkey rule's messages. */
export const EMERGENCY_ACCESS_GUIDANCE =
  "https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access";

/**
 * Break-glass accounts keep a phishing-resistant method they can sign in with. Microsoft's
 * emergency-access guidance (EMERGENCY_ACCESS_GUIDANCE) has them sign in passwordless with a
 * passkey (FIDO2, typically a security key) or certificate-based authentication, and often that
 * is their only method. Where it is a passkey (config signInMethod "passkey", the default), the
 * PasskeyPolicy must keep them able to use it: not disabled, not excluded, and included (any
 * group target, all_users or their own id may include them; a policy cannot see membership).
 * Excluding them is then never a fix; a target that requires registration cannot stop them
 * either, since they hold a passkey already. With signInMethod "certificate" they hold none, so a
 * passkey target that requires registration (isRegistrationRequired, graph-contract-passkeys.md)
 * and may reach them would stop an emergency sign-in at a registration wizard: they are excluded,
 * or the requirement dropped.
 */
export function breakGlassPasskeyViolations(props: Props, config: BreakGlassConfig): Violation[] {
  const accounts = breakGlassAccounts(config);
  if (accounts.length === 0) return [NOT_CONFIGURED];
  const passkey = normalizePasskeyArgs(props as unknown as PasskeyLike);
  const keepsPasskey = config.signInMethod === "passkey";
  const why =
    "Microsoft's emergency-access guidance has these accounts sign in with a phishing-resistant passwordless method " +
    `(${EMERGENCY_ACCESS_GUIDANCE}), and a passkey or security key is often their only one`;
  const otherwise =
    'If they sign in with certificate-based authentication instead, set "signInMethod": "certificate" under "break-glass-excluded" in the policy pack config.';
  if (passkey.state === "disabled") {
    if (!keepsPasskey) return [];
    return accounts.map((account) => ({
      message:
        `The PasskeyPolicy's state is "disabled", so the ${account.label} can no longer sign in with a passkey or security key. ` +
        `${why}. Set the PasskeyPolicy's state to "enabled". ${otherwise}`,
    }));
  }
  const included = knownTargets<{ isRegistrationRequired?: unknown }>(passkey.includeTargets);
  const excluded = knownTargets<Target>(passkey.excludeTargets);
  const violations: Violation[] = [];
  for (const account of accounts) {
    const isExcluded = excluded.targets.some((target) => target.id === account.id);
    if (isExcluded && keepsPasskey) {
      violations.push({
        message:
          `The PasskeyPolicy excludes the ${account.label}, so it can no longer sign in with a passkey or security key. ${why}. ` +
          `Remove ${exclusion(account)} from the PasskeyPolicy's excludeTargets and include it (for example as its own include target, ` +
          `isRegistrationRequired false, with a profile that allows its keys). ${otherwise}`,
      });
      continue;
    }
    if (isExcluded || !excluded.complete) continue; // an unknown exclusion may be this one
    const reaching = included.targets.filter((target) => mayReach(target, account));
    if (keepsPasskey) {
      if (included.complete && reaching.length === 0) {
        violations.push({
          message:
            `No passkey target includes the ${account.label}, so it cannot sign in with a passkey or security key. ${why}. ` +
            `Add ${exclusion(account)} to the PasskeyPolicy's includeTargets (isRegistrationRequired false, with a profile that allows its keys). ${otherwise}`,
        });
      }
      continue;
    }
    for (const target of reaching) {
      if (target.isRegistrationRequired !== true) continue;
      const who = target.id === ALL_USERS ? "all users" : `${target.targetType} ${target.id}`;
      violations.push({
        message:
          `The passkey target ${who}${reachPhrase(target, account)} requires registration (isRegistrationRequired), which would stop an emergency ` +
          `sign-in of the ${account.label} (signing in with a certificate, it holds no passkey) until a passkey is set up. ` +
          `Add ${exclusion(account)} to the PasskeyPolicy's excludeTargets, or set isRegistrationRequired to false on that target.`,
      });
    }
  }
  return violations;
}

/**
 * A campaign that targets passkeys (an include target with targetedAuthenticationMethod "fido2")
 * needs a PasskeyPolicy in the same stack that is enabled with self-service setup on: without it
 * nobody can set up a passkey, so the campaign nudges no one (graph-contract-passkeys.md §3;
 * evaluateUser's passkeyOutcome). Only an "enabled" campaign is checked: a disabled one nudges
 * nobody, a Microsoft-managed one falls back to Authenticator per user. Which targets the policy
 * enables is the preview check's question (checkPasskeyCoverage), not this rule's.
 */
export function campaignPasskeyPolicyViolations(
  campaignProps: Props,
  passkeyProps: readonly Props[],
): Violation[] {
  const campaign = normalizeCampaignArgs(campaignProps as unknown as CampaignLike);
  if (campaign.state !== "enabled") return [];
  const targets = knownTargets<{ targetedAuthenticationMethod?: string }>(
    campaign.includeTargets,
  ).targets.filter((target) => nudgeMethodOf(target.targetedAuthenticationMethod) === "fido2");
  if (targets.length === 0) return [];
  const who = targets
    .map((target) => (target.id === ALL_USERS ? "all users" : `${target.targetType} ${target.id}`))
    .join(", ");
  const campaignSays = `The registration campaign targets passkeys (fido2) for ${who}`;
  if (passkeyProps.length === 0) {
    return [
      {
        message: `${campaignSays}, but the stack declares no PasskeyPolicy, so nothing keeps passkeys enabled with self-service setup and the campaign may nudge no one. Declare a PasskeyPolicy with state "enabled" and isSelfServiceRegistrationAllowed: true in the same stack.`,
      },
    ];
  }
  const violations: Violation[] = [];
  for (const props of passkeyProps) {
    const passkey = normalizePasskeyArgs(props as unknown as PasskeyLike);
    if (!isUnknown(passkey.state) && passkey.state !== "enabled") {
      violations.push({
        message: `${campaignSays}, but the PasskeyPolicy's state is "${String(passkey.state)}": nobody can set up a passkey, so the campaign nudges no one. Set the PasskeyPolicy's state to "enabled".`,
      });
    }
    if (
      !isUnknown(passkey.isSelfServiceRegistrationAllowed) &&
      passkey.isSelfServiceRegistrationAllowed !== true
    ) {
      violations.push({
        message: `${campaignSays}, but the PasskeyPolicy has isSelfServiceRegistrationAllowed: false: users cannot set up a passkey themselves, so the campaign nudges no one. Set isSelfServiceRegistrationAllowed to true (or leave it out: the default is true).`,
      });
    }
  }
  return violations;
}

/**
 * The campaign is pinned: not left Microsoft managed (state "default") unless the organisation
 * allows it. Why: in that state Microsoft chooses the method, snooze days and snooze limit, and
 * may change them (contract §2.8: from 2026-09-01 the Microsoft-managed campaign moves SMS/voice
 * users to passkeys); a declared "enabled" or "disabled" keeps the decision in code review.
 */
export function campaignPinnedViolations(props: Props, config: CampaignPinnedConfig): Violation[] {
  const { state } = normalizeCampaignArgs(props as unknown as CampaignLike);
  if (isUnknown(state) || config.allowedStates.includes(state as never)) return [];
  const allowed = config.allowedStates.map((s) => `"${s}"`).join(" or ");
  const why =
    state === "default"
      ? ' "default" leaves the campaign Microsoft managed: Microsoft picks the method, the snooze days and the snooze limit, and may change them without a code change. ' +
        'Since 2026 "default" moves the campaign to passkeys (Microsoft switched SMS and voice tenants to Microsoft managed targeting passkeys on 2026-09-01), ' +
        "so a program that wants Microsoft Authenticator, or a passkey campaign on its own schedule, must pin it."
      : "";
  return [
    {
      message: `The registration campaign's state is "${String(state)}"; this organisation allows ${allowed}.${why} Set state to ${allowed}.`,
    },
  ];
}

/**
 * Snooze days at most N. Why: every snooze day is a day users keep signing in by SMS or voice,
 * the methods the campaign exists to replace; Graph allows 14 (contract §2.2). A disabled campaign
 * shows no prompt; a Microsoft-managed one snoozes for 1 day (§2.8): Microsoft decides, so the
 * declaration leaves the days out and there is nothing to check.
 */
export function campaignSnoozeViolations(props: Props, config: MaxSnoozeConfig): Violation[] {
  const campaign = normalizeCampaignArgs(props as unknown as CampaignLike);
  const days = campaign.snoozeDurationInDays;
  if (campaign.state === "disabled" || typeof days !== "number") return [];
  if (days <= config.maxSnoozeDays) return [];
  return [
    {
      message:
        `The registration campaign lets users snooze the prompt for ${days} day${days === 1 ? "" : "s"}; this organisation allows at most ` +
        `${config.maxSnoozeDays}. Each snooze day is a day more of SMS or voice sign-ins. Set snoozeDurationInDays to ` +
        `${config.maxSnoozeDays} or less${days > 1 && config.maxSnoozeDays === 0 ? " (0 prompts at every MFA sign-in)" : ""}.`,
    },
  ];
}

/**
 * Campaign targets are enabled for Authenticator in mode any or push: a target that is not, or
 * only in Passwordless mode, nudges nobody (DESIGN.md "Who is nudged", contract §2.7, §3.4).
 * The decision is model/eligibility.ts's checkTargetCoverage, the resources' own preview check; its
 * "cannot check yet" findings wait for `up`.
 */
export function campaignTargetsViolations(
  campaignProps: Props,
  authenticatorProps: Props,
): Violation[] {
  const campaign = normalizeCampaignArgs(campaignProps as unknown as CampaignLike);
  const authenticator = normalizeAuthenticatorArgs(
    authenticatorProps as unknown as AuthenticatorLike,
  );
  return checkTargetCoverage(campaign, authenticator)
    .filter(
      (finding) =>
        finding.kind === "notEnabledForAuthenticator" || finding.kind === "passwordlessOnly",
    )
    .map((finding) => ({ message: finding.message }));
}

const LOGIN_CONTEXT: { name: FeatureSettingName; what: string; portal: string }[] = [
  {
    name: "displayAppInformationRequiredState",
    what: "the application name",
    portal: "Show application name in push and passwordless notifications",
  },
  {
    name: "displayLocationInformationRequiredState",
    what: "the geographic location",
    portal: "Show geographic location in push and passwordless notifications",
  },
];

/**
 * CISA SCuBA MS.AAD.3.3v2: "If Microsoft Authenticator is enabled, it SHALL be configured to show
 * login context information": application name and geographic location, Status Enabled, Target
 * Include All users. Context lets a user recognise a push they did not start (MFA phishing and
 * fatigue). "default" (Microsoft managed) does not count: it is currently disabled for both
 * (contract §3.5), and an undeclared setting is not managed at all.
 */
export function loginContextViolations(props: Props): Violation[] {
  const authenticator = normalizeAuthenticatorArgs(props as unknown as AuthenticatorLike);
  if (authenticator.state === "disabled") return [];
  const features = authenticator.featureSettings;
  if (isUnknown(features)) return [];
  const violations: Violation[] = [];
  for (const { name, what, portal } of LOGIN_CONTEXT) {
    const setting = features[name];
    const fix = `Declare featureSettings.${name}: { state: "enabled", includeTarget: { id: "all_users", targetType: "group" } }.`;
    if (setting === undefined) {
      violations.push({
        message: `CISA SCuBA MS.AAD.3.3v2: Microsoft Authenticator is enabled, but featureSettings.${name} (${portal}) is not declared, so nothing keeps ${what} shown in notifications. ${fix}`,
      });
      continue;
    }
    if (isUnknown(setting)) continue;
    if (!isUnknown(setting.state) && setting.state !== "enabled") {
      violations.push({
        message: `CISA SCuBA MS.AAD.3.3v2: featureSettings.${name} (${portal}) is "${String(setting.state)}"; the baseline requires "enabled" so users see ${what} and can recognise a push they did not start${setting.state === "default" ? ' ("default" is Microsoft managed, currently off)' : ""}. ${fix}`,
      });
      continue;
    }
    const include = setting.includeTarget;
    if (!isUnknown(include) && !isUnknown(include.id) && include.id !== ALL_USERS) {
      violations.push({
        message: `CISA SCuBA MS.AAD.3.3v2: featureSettings.${name} shows ${what} only to ${include.targetType} ${include.id}; the baseline requires Target > Include > All users. ${fix}`,
      });
    }
  }
  return violations;
}

/**
 * CISA SCuBA MS.AAD.3.3v2's implementation step "Allow use of Microsoft Authenticator OTP: No":
 * one-time codes can be phished and carry no login context, unlike a push with number matching.
 * Organisations that still need codes set this policy to "advisory" or "disabled".
 */
export function authenticatorOtpViolations(props: Props): Violation[] {
  const authenticator = normalizeAuthenticatorArgs(props as unknown as AuthenticatorLike);
  if (authenticator.state === "disabled") return [];
  const otp = authenticator.isSoftwareOathEnabled;
  if (otp === false || isUnknown(otp)) return [];
  return [
    {
      message:
        otp === undefined
          ? "CISA SCuBA MS.AAD.3.3v2: isSoftwareOathEnabled is not declared, so Microsoft Authenticator one-time codes are left as the tenant has them. Declare isSoftwareOathEnabled: false (Allow use of Microsoft Authenticator OTP: No)."
          : "CISA SCuBA MS.AAD.3.3v2: isSoftwareOathEnabled is true, so users may sign in with Microsoft Authenticator one-time codes, which can be phished and show no login context. Set isSoftwareOathEnabled: false (Allow use of Microsoft Authenticator OTP: No).",
    },
  ];
}
