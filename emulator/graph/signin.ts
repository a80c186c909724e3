// What happens when a user completes an interactive MFA sign-in while the registration campaign
// runs: whether the nudge is shown, for which method, and with which snooze rules. Written from the
// contract on the emulator's own terms (graph-contract.md §2.7–§2.8, §3.4;
// graph-contract-passkeys.md §2–§3), never from the product's model: this is the witness the
// product's eligibility model is tested against.
//
// The decision, in the order a sign-in meets it:
// 1. The user signs in with MFA at all: the account is enabled and a second factor is registered.
// 2. The campaign runs (`enabled`, or `default` = Microsoft managed) and one of its include targets
//    covers the user (`all_users`, the user, or a group they are in transitively) and no exclude
//    target does (exclusion wins).
// 3. The method. Enabled: the method of the first include target covering the user. Microsoft
//    managed (September 2026 rules, "passkeys when included users are enabled for passkeys"):
//    passkeys for a member enabled for passkeys (the passkey method on, self-service setup on, in
//    scope through a target with an eligible profile), Microsoft Authenticator otherwise; settings fixed: 1 snooze day, unlimited snoozes for passkeys,
//    limited (3) for Authenticator.
// 4. Passkey nudge: never for guests; needs the passkey method enabled for the user with
//    self-service setup; any MFA method shows it; a user who already has a passkey is not nudged.
// 5. Authenticator nudge: needs the Authenticator method enabled for the user through a target in
//    mode `any` or `push` (`deviceBasedPush` only makes them ineligible); a user who has
//    Authenticator for push is not nudged; guests are; Microsoft managed shows it only after SMS or
//    voice MFA, enabled after any MFA (switch `authenticatorNudgeAfter`).
//
// Approximations, stated: a sign-in uses the user's default MFA method (the report's
// userPreferredMethodForSecondaryAuthentication); "already has a passkey" is judged per account
// (the HOWTO judges it per OS and browser, which the registration report cannot show): any
// passKey* method, a FIDO2 security key, or the legacy `fido2` counts, Windows Hello for Business
// and the macOS Secure Enclave key alone do not (older HOWTO: such users were still nudged).
// Sign-ins on Linux, in native Android apps, or blocked by Conditional Access are not simulated.
import type { JsonObject, TenantUser } from "../tenants/format";
import type { EffectiveOptions } from "./context";
import { passkeyTypesOf, profileEligibleWhenManaged, profilesOf } from "./passkeys";
import { mfaRegistered, preferredMethodOf } from "./reports";
import type { DirectoryState } from "./state";

export type NudgeMethod = "microsoftAuthenticator" | "fido2";

/** Why a user's MFA sign-in shows no nudge (the emulator's own names). */
export type NoNudge =
  | "accountDisabled"
  | "noMfaMethod"
  | "campaignOff"
  | "notInCampaign"
  | "excludedFromCampaign"
  | "guestNoPasskeyNudge"
  | "passkeysNotEnabled"
  | "passkeySelfServiceOff"
  | "noEligiblePasskeyProfile"
  | "alreadyHasPasskey"
  | "authenticatorNotEnabled"
  | "authenticatorPasswordlessOnly"
  | "alreadyHasAuthenticatorPush"
  | "mfaNotBySmsOrVoice";

export interface Nudge {
  nudged: true;
  method: NudgeMethod;
  snoozeDays: number;
  /** Snoozes allowed before registration is required; null = unlimited. */
  snoozeLimit: number | null;
  /** Passkey types the user's profiles allow (passkey nudges). */
  passkeyTypes: string[];
  /** AAGUIDs an enforced allow-list of the user's profiles restricts to ([] = any). */
  allowedAaGuids: string[];
}

export type SignInOutcome = Nudge | { nudged: false; reason: NoNudge };

/** Snoozes before registration is required with limited snoozes (§2.2, HOWTO: 3, fixed). */
export const ALLOWED_SNOOZES = 3;

/** Registered methods that are a passkey for the account-level "already has a passkey". */
const PASSKEY_METHODS = /^(passkey.*|fido2securitykey|fido2)$/i;
/** Default methods that are SMS or voice (userDefaultAuthenticationMethod members). */
const SMS_OR_VOICE = new Set(["sms", "voiceMobile", "voiceAlternateMobile", "voiceOffice"]);

interface Target {
  id: string;
  targetType?: string;
  [key: string]: unknown;
}

function targetsIn(value: unknown): Target[] {
  return Array.isArray(value) ? (value as Target[]) : [];
}

/** The campaign and method settings of one moment, with the memberships they need. */
export class SignInRules {
  private readonly campaign: JsonObject;
  private readonly authenticator: JsonObject | undefined;
  private readonly fido2: JsonObject | undefined;
  /** User id (lower case) → the ids (lower case) of the named groups they are in, transitively. */
  private readonly groupsOf = new Map<string, Set<string>>();
  private static readonly NONE: ReadonlySet<string> = new Set();

  constructor(
    state: DirectoryState,
    now: number,
    private readonly options: Pick<EffectiveOptions, "authenticatorNudgeAfter">,
  ) {
    const snapshot = state.policy;
    this.campaign = (snapshot.policy.registrationEnforcement
      ?.authenticationMethodsRegistrationCampaign ?? {}) as unknown as JsonObject;
    this.authenticator = snapshot.configurations.get("microsoftauthenticator");
    this.fido2 = snapshot.configurations.get("fido2");
    const named = new Set<string>();
    for (const owner of [this.campaign, this.authenticator, this.fido2]) {
      for (const side of ["includeTargets", "excludeTargets"]) {
        for (const t of targetsIn(owner?.[side])) {
          if (t.targetType === "group" && t.id !== "all_users") named.add(t.id.toLowerCase());
        }
      }
    }
    for (const groupId of named) {
      const group = state.readableGroup(groupId, now);
      if (!group) continue;
      for (const member of state.transitiveMemberIds(group, now)) {
        const key = member.toLowerCase();
        let set = this.groupsOf.get(key);
        if (!set) this.groupsOf.set(key, (set = new Set()));
        set.add(groupId);
      }
    }
  }

  private covers(target: Target, user: TenantUser): boolean {
    if (target.id === "all_users") return true;
    if (target.targetType === "user") return target.id.toLowerCase() === user.id.toLowerCase();
    if (target.targetType === "group")
      return (this.groupsOf.get(user.id.toLowerCase()) ?? SignInRules.NONE).has(
        target.id.toLowerCase(),
      );
    return false;
  }

  /** Include targets of a method configuration covering the user, none if excluded or disabled. */
  private methodTargets(config: JsonObject | undefined, user: TenantUser): Target[] {
    if (!config || config.state !== "enabled") return [];
    if (targetsIn(config.excludeTargets).some((t) => this.covers(t, user))) return [];
    return targetsIn(config.includeTargets).filter((t) => this.covers(t, user));
  }

  /** The passkey profiles a user gets through their passkey targets (managed: eligible ones only). */
  private passkeyProfiles(user: TenantUser, managed: boolean) {
    const profiles = this.fido2 ? profilesOf(this.fido2) : [];
    const ids = new Set(
      this.methodTargets(this.fido2, user).flatMap((t) =>
        ((t.allowedPasskeyProfiles as string[] | undefined) ?? []).map((id) => id.toLowerCase()),
      ),
    );
    return profiles.filter(
      (p) => ids.has(p.id.toLowerCase()) && (!managed || profileEligibleWhenManaged(p)),
    );
  }

  /** The outcome of one interactive MFA sign-in by this user now. */
  outcome(user: TenantUser): SignInOutcome {
    const no = (reason: NoNudge): SignInOutcome => ({ nudged: false, reason });
    const methods = user.methods ?? [];
    if (!user.accountEnabled) return no("accountDisabled");
    if (!mfaRegistered(methods)) return no("noMfaMethod");
    const state = this.campaign.state;
    if (state !== "enabled" && state !== "default") return no("campaignOff");
    const including = targetsIn(this.campaign.includeTargets).filter((t) => this.covers(t, user));
    if (including.length === 0) return no("notInCampaign");
    if (targetsIn(this.campaign.excludeTargets).some((t) => this.covers(t, user)))
      return no("excludedFromCampaign");
    const managed = state === "default";
    let method: NudgeMethod;
    if (managed) {
      // Guests are never nudged to passkeys, so Microsoft's choice for them is Authenticator.
      const enabledForPasskeys =
        user.userType !== "Guest" &&
        this.fido2?.isSelfServiceRegistrationAllowed === true &&
        this.passkeyProfiles(user, true).length > 0;
      method = enabledForPasskeys ? "fido2" : "microsoftAuthenticator";
    } else {
      const named = String(including[0].targetedAuthenticationMethod ?? "microsoftAuthenticator");
      method = named.toLowerCase() === "fido2" ? "fido2" : "microsoftAuthenticator";
    }
    return method === "fido2"
      ? this.passkeyOutcome(user, managed)
      : this.authenticatorOutcome(user, managed);
  }

  private passkeyOutcome(user: TenantUser, managed: boolean): SignInOutcome {
    const no = (reason: NoNudge): SignInOutcome => ({ nudged: false, reason });
    if (user.userType === "Guest") return no("guestNoPasskeyNudge");
    if (this.methodTargets(this.fido2, user).length === 0) return no("passkeysNotEnabled");
    if (this.fido2?.isSelfServiceRegistrationAllowed !== true) return no("passkeySelfServiceOff");
    const profiles = this.passkeyProfiles(user, managed);
    if (profiles.length === 0) return no("noEligiblePasskeyProfile");
    if ((user.methods ?? []).some((m) => PASSKEY_METHODS.test(m))) return no("alreadyHasPasskey");
    const allowLists = profiles.map((p) =>
      p.keyRestrictions?.isEnforced === true && p.keyRestrictions.enforcementType === "allow"
        ? (p.keyRestrictions.aaGuids ?? [])
        : undefined,
    );
    return {
      nudged: true,
      method: "fido2",
      ...this.snoozeRules(managed, "fido2"),
      passkeyTypes: [...new Set(profiles.flatMap((p) => passkeyTypesOf(p)))].sort(),
      allowedAaGuids: allowLists.some((l) => l === undefined)
        ? []
        : [...new Set(allowLists.flat() as string[])],
    };
  }

  private authenticatorOutcome(user: TenantUser, managed: boolean): SignInOutcome {
    const no = (reason: NoNudge): SignInOutcome => ({ nudged: false, reason });
    const targets = this.methodTargets(this.authenticator, user);
    if (targets.length === 0) return no("authenticatorNotEnabled");
    // §3.4: a target in mode any or push lets the user use push; deviceBasedPush alone does not.
    if (!targets.some((t) => t.authenticationMode !== "deviceBasedPush"))
      return no("authenticatorPasswordlessOnly");
    if ((user.methods ?? []).includes("microsoftAuthenticatorPush"))
      return no("alreadyHasAuthenticatorPush");
    const smsOrVoiceOnly = managed || this.options.authenticatorNudgeAfter === "smsOrVoiceMfa";
    if (smsOrVoiceOnly && !SMS_OR_VOICE.has(preferredMethodOf(user)))
      return no("mfaNotBySmsOrVoice");
    return {
      nudged: true,
      method: "microsoftAuthenticator",
      ...this.snoozeRules(managed, "microsoftAuthenticator"),
      passkeyTypes: [],
      allowedAaGuids: [],
    };
  }

  /**
   * Microsoft managed fixes the snooze settings, whatever the campaign object holds; enabled takes
   * the campaign's (§2.2). Microsoft's HOWTO of 2026-09-02, section "Microsoft managed state"
   * (MicrosoftDocs/entra-docs, docs/identity/authentication/how-to-mfa-registration-campaign.md),
   * tabulates per method: days allowed to snooze 1 (Authenticator) and 1 (passkey); limited
   * snoozes "Enabled: After 3 snoozes, registration is required" (Authenticator) and "Disabled:
   * Unlimited snoozes" (passkey). So an Authenticator fallback snoozes a day at a time and the
   * fourth prompt cannot be skipped.
   */
  private snoozeRules(
    managed: boolean,
    method: NudgeMethod,
  ): { snoozeDays: number; snoozeLimit: number | null } {
    if (managed) return { snoozeDays: 1, snoozeLimit: method === "fido2" ? null : ALLOWED_SNOOZES };
    const days = this.campaign.snoozeDurationInDays;
    return {
      snoozeDays: typeof days === "number" ? days : 1,
      snoozeLimit:
        this.campaign.enforceRegistrationAfterAllowedSnoozes === false ? null : ALLOWED_SNOOZES,
    };
  }
}
