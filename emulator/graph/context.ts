// What every handler receives: the request, the tenant state, the options in force, the clock,
// and the two things every call does (check a permission, write an audit record).
import type { GraphRequest } from "../types";
import type { DirectoryState } from "./state";
import { accessDenied } from "./failures";
import { holdsAny, type PermissionSet } from "./permissions";

/** Switches for behaviour the contract leaves open or documents two ways. */
export interface GraphApiOptions {
  /** New groups and membership changes stay invisible to reads this long (§4.8). Default 0. */
  replicationDelayMs?: number;
  /** Policy and configuration reads return the previous state this long after a write (§4.8, inferred). Default 0. */
  policyReplicationDelayMs?: number;
  /** Audit records appear this long after the change (§10 item 23). Default 0. */
  auditDelayMs?: number;
  /** Deleted security groups go to deleted items for 30 days (current docs) or are gone (older docs) (§4.3, §10 item 11). Default true. */
  deletedGroupsRestorable?: boolean;
  /** Status for removing a non-member: 404 Request_ResourceNotFound or 400 Request_BadRequest (§4.5, §10 item 13). Default 404. */
  nonMemberRemovalStatus?: 404 | 400;
  /** Return the beta-only enforceRegistrationAfterAllowedSnoozes on v1.0 reads too (§10 item 1). Default false. */
  v1EchoEnforceRegistration?: boolean;
  /** Category of policy-update audit records (§6.3, §10 item 18). Default "ApplicationManagement". */
  policyAuditCategory?: "ApplicationManagement" | "PolicyManagement";
  /** Entra ID P1/P2 licence (§5.2); overrides the tenant file. */
  premiumLicense?: boolean;
  /** error.code of the policy validation errors whose real code is unknown (§2.6, §10 item 2). Default "BadRequest". */
  validationErrorCode?: string;
  /**
   * Snooze settings, or a targeted method the stored targets do not name, sent while the campaign
   * is Microsoft managed: stored, or refused with 400 (§2.8, §10 item 6; passkeys open question
   * 3); "rejectSent" refuses them whenever sent, unchanged values included (the HOWTO: they
   * "can't be configured"). Default "store".
   */
  managedCampaignEdits?: "store" | "reject" | "rejectSent";
  /**
   * `optOutSettings` in the same PATCH as other properties of the policy: refused with 400
   * ("reject": Microsoft documents the opt-out only as a PATCH of that property alone,
   * graph-contract-passkeys.md §2, SMSRET), or accepted. Default "reject".
   */
  optOutSettingsWithOthers?: "reject" | "accept";
  /**
   * How a stored targetedAuthenticationMethod reads back (graph-contract-passkeys.md open question
   * 1): the spelling sent ("asSent"), or normalised to the HOWTO's "fido2" or the Graph
   * reference's "Fido2". Default "asSent"; Microsoft's own writes (the 2026-09-01 migration) use
   * "Fido2" then.
   */
  campaignMethodCasing?: "asSent" | "fido2" | "Fido2";
  /**
   * Include targets naming different methods in one campaign (open question 2): refused with 400,
   * or stored as sent. Default "reject" ("one method at a time", HOWTO).
   */
  mixedCampaignMethods?: "reject" | "store";
  /**
   * What GET returns for the method and snooze settings of a Microsoft-managed campaign (open
   * question 3): what was last stored ("stored"), or what Microsoft applies ("microsoftDecides":
   * the method Microsoft picks, 1 snooze day, limited snoozes only for Authenticator). Default
   * "stored".
   */
  managedCampaignReadback?: "stored" | "microsoftDecides";
  /**
   * A passkey profile still named by an include target: it must be unassigned in an earlier PATCH
   * ("afterUnassigned", the support wiki's "before it is deleted"), or one PATCH may unassign and
   * delete it ("sameRequest"). Default "afterUnassigned".
   */
  passkeyProfileRemoval?: "afterUnassigned" | "sameRequest";
  /** The passkey (FIDO2) configuration's own size budget (contract-passkeys §4: 20 KB). Default 20480. */
  passkeyPolicySizeLimitBytes?: number;
  /**
   * Which MFA completions show an enabled Authenticator campaign's nudge: any ("anyMfa": DESIGN.md's
   * seed scenario, graph-contract.md §2.7 2024/2025 page: TOTP-only users see it) or only SMS and
   * voice ("smsOrVoiceMfa": the 2026-09-02 HOWTO). Microsoft-managed Authenticator nudges always
   * need SMS or voice (§2.8). Default "anyMfa".
   */
  authenticatorNudgeAfter?: "anyMfa" | "smsOrVoiceMfa";
  /**
   * How a synced passkey registered in the simulation appears in methodsRegistered
   * (graph-contract-passkeys.md open question 5). Default "passKeySynced".
   */
  syncedPasskeyMethod?: "passKeySynced" | "passKeyDeviceBound";
  /** The 403 shape policy endpoints give a caller without permission (§7.2). Default "Authorization_RequestDenied". */
  policyDeniedCode?: "Authorization_RequestDenied" | "accessDenied";
  /**
   * Rows per userRegistrationDetails page. The service decides it (the v1.0 page documents only
   * $filter and $orderby: graph-contract.md Errata 3), and `$top` is refused.
   * Default 1000 (§10 item 14: a guess).
   */
  reportPageSize?: number;
  /** The clock (ms since the epoch); tests pin it. Default Date.now. */
  now?: () => number;
}

export type EffectiveOptions = Required<Omit<GraphApiOptions, "premiumLicense">> & {
  premiumLicense: boolean;
};

export interface Context {
  readonly req: GraphRequest;
  readonly state: DirectoryState;
  readonly options: EffectiveOptions;
  /** One clock reading per request, so a request sees one consistent moment. */
  readonly now: number;
  /** Route parameters by name ("id", "memberId", ...), decoded. */
  readonly params: Record<string, string>;
  /**
   * True when Microsoft's permission table (permissionTable.ts) lists this call and the caller
   * passed it: the handler's own list then decides nothing more.
   */
  readonly permissionChecked?: boolean;
}

/**
 * Refuses the call unless the caller holds one of the accepted permissions (§7.2). Calls the
 * permission table lists were decided before the handler ran.
 */
export function requirePermission(
  ctx: Context,
  accepted: PermissionSet,
  kind: "directory" | "policy" = "directory",
): void {
  if (ctx.permissionChecked || holdsAny(ctx.req.caller, accepted)) return;
  throw accessDenied(
    kind === "policy" ? ctx.options.policyDeniedCode : "Authorization_RequestDenied",
  );
}
