// `POST /_emulator/microsoft-migration`: what Microsoft did to tenants on 2026-09-01, "passkeys by
// default" (graph-contract-passkeys.md §2 and §7, [doc] SMSRET): users enabled for SMS or voice
// are enabled for passkeys in a profile allowing every passkey type, and the registration campaign
// is set to Microsoft managed targeting passkeys, 1 snooze day, unlimited snoozes. A tenant that
// opted out (beta `optOutSettings.passkeyDynamicMigration`) is left alone until 2027-02-01.
import type { CampaignData } from "../tenants/format";
import type { Context, EffectiveOptions } from "./context";
import { planPasskeysByDefault, SMS_VOICE_RETIREMENT } from "./passkeys";
import { replacePolicyAsService, storedCampaignMethod } from "./policy";
import type { DirectoryState, PolicySnapshot } from "./state";

/**
 * The initiator of Microsoft's own changes in the audit log. Microsoft publishes no app id for it
 * ([inferred]); the all-zero id keeps it apart from every tenant app.
 */
const MICROSOFT = {
  clientId: "00000000-0000-0000-0000-000000000000",
  appName: "Microsoft Entra passkeys by default",
};

export interface MigrationParameters {
  /**
   * Leave campaigns an admin pinned (`enabled` or `disabled`) as they are: the HOWTO's reading
   * ("to avoid passkey nudges, set enabled with microsoftAuthenticator, or disabled"). Default
   * false: SMSRET's words, the campaign "is set to Microsoft Managed state targeting passkeys".
   */
  respectPinnedCampaign?: boolean;
}

export interface MigrationResult {
  migrated: boolean;
  /** Why nothing changed, when nothing did. */
  reason?: string;
  /** The SMS and Voice include targets now enabled for passkeys. */
  enabledTargets?: { id: string; targetType: string }[];
  passkeyProfileId?: string;
  passkeyProfileCreated?: boolean;
  campaignChanged?: boolean;
}

export class MigrationRefused extends Error {}

function parametersOf(body: Record<string, unknown>): MigrationParameters {
  const unknown = Object.keys(body).filter((k) => k !== "respectPinnedCampaign");
  if (unknown.length > 0)
    throw new MigrationRefused(
      `Unknown migration parameter(s) ${unknown.join(", ")}; the only one is respectPinnedCampaign.`,
    );
  if (body.respectPinnedCampaign !== undefined && typeof body.respectPinnedCampaign !== "boolean")
    throw new MigrationRefused('"respectPinnedCampaign" must be true or false.');
  return { respectPinnedCampaign: body.respectPinnedCampaign as boolean | undefined };
}

/** Runs the migration on the state; throws MigrationRefused for an opted-out tenant. */
export function runMicrosoftMigration(
  state: DirectoryState,
  options: EffectiveOptions,
  now: number,
  body: Record<string, unknown>,
): MigrationResult {
  const parameters = parametersOf(body);
  const current: PolicySnapshot = state.policy;
  if (current.policy.optOutSettings?.passkeyDynamicMigration === true && now < SMS_VOICE_RETIREMENT)
    throw new MigrationRefused(
      "The tenant opted out of passkeys by default (optOutSettings.passkeyDynamicMigration is true on the beta authentication methods policy), so Microsoft leaves it alone until 2027-02-01.",
    );
  const fido2 = current.configurations.get("fido2");
  if (!fido2) throw new MigrationRefused("The tenant has no Fido2 method configuration.");
  const plan = planPasskeysByDefault(fido2, [
    current.configurations.get("sms"),
    current.configurations.get("voice"),
  ]);
  if (!plan)
    return {
      migrated: false,
      reason:
        "No one is enabled for SMS or voice (both method configurations are disabled or target no one), so Microsoft changes nothing.",
    };
  const configurations = new Map(current.configurations);
  configurations.set("fido2", plan.fido2);
  const campaign =
    current.policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  const pinned = campaign?.state === "enabled" || campaign?.state === "disabled";
  const changeCampaign = !(parameters.respectPinnedCampaign && pinned);
  let policy = current.policy;
  if (changeCampaign) {
    // Microsoft writes the Graph reference's spelling, unless the switch normalises it.
    const method = storedCampaignMethod("Fido2", options.campaignMethodCasing);
    const includes = [...(campaign?.includeTargets ?? [])];
    const coversEveryone = includes.some((t) => t.id === "all_users");
    // "brings them into scope" (SMSRET): the phone users' targets join the campaign's.
    if (!coversEveryone) {
      for (const t of plan.phoneTargets) {
        if (!includes.some((i) => String(i.id).toLowerCase() === t.id.toLowerCase()))
          includes.push({ id: t.id, targetType: t.targetType as "group" | "user" });
      }
    }
    const next: CampaignData = {
      ...(campaign ?? {}),
      snoozeDurationInDays: 1,
      enforceRegistrationAfterAllowedSnoozes: false,
      state: "default",
      excludeTargets: campaign?.excludeTargets ?? [],
      includeTargets: includes.map((t) => ({ ...t, targetedAuthenticationMethod: method })),
    };
    policy = {
      ...current.policy,
      registrationEnforcement: {
        ...current.policy.registrationEnforcement,
        authenticationMethodsRegistrationCampaign: next,
      },
    };
  }
  const ctx: Context = {
    req: {
      method: "PATCH",
      version: "beta",
      path: "/policies/authenticationMethodsPolicy",
      segments: ["policies", "authenticationMethodsPolicy"],
      query: new URLSearchParams(),
      headers: {},
      body: undefined,
      caller: { ...MICROSOFT, tenantId: state.seed.tenant.tenantId, roles: [] },
      baseUrl: "",
    },
    state,
    options,
    now,
    params: {},
  };
  replacePolicyAsService(ctx, { policy, configurations });
  return {
    migrated: true,
    enabledTargets: plan.phoneTargets,
    passkeyProfileId: plan.profileId,
    passkeyProfileCreated: plan.profileCreated,
    campaignChanged: changeCampaign,
  };
}
