// What the audit log tells about the campaign (graph-contract.md §6.3): when it was last enabled
// (an "Authentication Methods Policy Update" whose AuthenticationMethodsPolicy value changed the
// campaign's state to enabled), and when users registered the method a campaign nudges to: one
// read of "User registered security info" gives both, Microsoft Authenticator for push (a result
// reason naming the app with notification, §6.3) and a passkey (passkeys §5: the record paired with
// every passkey registration carries AuthenticationMethod "Passkey"; observed reasons "User
// registered Fido", and "User registered Passkey"). "Add Passkey (device-bound)" is not read: it is
// logged by another service (Device Registration Service), only for device-bound passkeys, and
// always alongside the "User registered security info" record, so it would cost a reports-limited
// read and date nothing the first one does not. Both reads are filtered by service and activity
// (never by category, whose value the docs disagree on), and the registrations from the campaign's
// start only.
import type { DirectoryAudit } from "@microsoft/microsoft-graph-types";
import { AUDIT_PAGE_SIZE, directoryAuditPages, stringLiteral, type GraphClient } from "../graph";
import type { NudgeMethod } from "../model";

const SERVICE = "Authentication Methods";
const POLICY_UPDATE = "Authentication Methods Policy Update";
const REGISTERED = "User registered security info";
/** advancedConfigState in enum order: the policy audit serialises enums as integers (§6.3). */
const CAMPAIGN_STATES = ["default", "enabled", "disabled", "unknownFutureValue"];
/** "User registered Authenticator App with Notification[ and Code]" (§6.3 observed reasons). */
const PUSH_REGISTRATION = /authenticator app with notification/i;
/** A passkey or FIDO2 security key in a result reason or the AuthenticationMethod detail (passkeys §5). */
const PASSKEY_REGISTRATION = /passkey|fido/i;

/** One campaign state change the audit log shows, or a switch of an enabled campaign's method. */
export interface CampaignStateChange {
  at: string;
  from?: string;
  to?: string;
  /** The method an enabled campaign nudges to after the change, when it changed (a new campaign). */
  methodSwitchedTo?: string;
}

export interface PushRegistration {
  /** Lower-case user object id. */
  userId: string;
  /** ISO 8601. */
  at: string;
}

/**
 * The campaign's state and method in a policy audit value: the state serialised as an integer or
 * a string (§6.3), the method from its include targets (a string property, not an enum; one method
 * per campaign, graph-contract-passkeys.md §1).
 */
function campaignOf(json: string | null | undefined): { state?: string; method?: string } {
  if (!json) return {};
  try {
    const policy = JSON.parse(json) as {
      registrationEnforcement?: {
        authenticationMethodsRegistrationCampaign?: {
          state?: unknown;
          includeTargets?: { targetedAuthenticationMethod?: unknown }[] | null;
        } | null;
      } | null;
    };
    const campaign = policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
    const state = campaign?.state;
    const method = (campaign?.includeTargets ?? [])
      .map((t) => t?.targetedAuthenticationMethod)
      .find((m): m is string => typeof m === "string");
    return {
      ...(typeof state === "number"
        ? { state: CAMPAIGN_STATES[state] }
        : typeof state === "string"
          ? { state }
          : {}),
      ...(method !== undefined ? { method: method.toLowerCase() } : {}),
    };
  } catch {
    return {};
  }
}

/** The campaign's state changes, oldest first (other policy updates are left out). */
export async function readCampaignStateChanges(graph: GraphClient): Promise<CampaignStateChange[]> {
  const changes: CampaignStateChange[] = [];
  const pages = directoryAuditPages(graph, {
    filter: `loggedByService eq ${stringLiteral(SERVICE)} and activityDisplayName eq ${stringLiteral(POLICY_UPDATE)}`,
    top: AUDIT_PAGE_SIZE,
  });
  for await (const page of pages) {
    for (const record of page) {
      for (const target of record.targetResources ?? []) {
        const property = (target.modifiedProperties ?? []).find(
          (p) => p.displayName === "AuthenticationMethodsPolicy",
        );
        if (!property || !record.activityDateTime) continue;
        const before = campaignOf(property.oldValue);
        const after = campaignOf(property.newValue);
        const from = before.state;
        const to = after.state;
        if (from !== to) changes.push({ at: record.activityDateTime, from, to });
        else if (
          to === "enabled" &&
          before.method !== undefined &&
          after.method !== undefined &&
          before.method !== after.method
        )
          // An enabled campaign switched to another method (Authenticator to passkeys, or back)
          // nudges to something else from then on: for progress, a new campaign starts.
          changes.push({ at: record.activityDateTime, from, to, methodSwitchedTo: after.method });
      }
    }
  }
  return changes.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * When the campaign was last switched to enabled, or an enabled campaign to another method, if the
 * audit log (30 days with P1/P2) shows it.
 */
export function enabledSince(changes: readonly CampaignStateChange[]): string | undefined {
  let since: string | undefined;
  for (const change of changes) {
    if (change.methodSwitchedTo !== undefined) since = change.at;
    else if (change.to === "enabled") since ??= change.at;
    else since = undefined;
  }
  return since;
}

function userOf(record: DirectoryAudit): string | undefined {
  const target = (record.targetResources ?? []).find((t) => t.type === "User");
  const id = target?.id ?? record.initiatedBy?.user?.id;
  return id ? id.toLowerCase() : undefined;
}

/** The first registration per user of each method a campaign nudges to, from `since` on. */
export type CampaignRegistrations = Record<NudgeMethod, PushRegistration[]>;

/** Whether a "User registered security info" record is a passkey's (its reason or its AuthenticationMethod detail). */
function isPasskeyRecord(record: DirectoryAudit): boolean {
  if (PASSKEY_REGISTRATION.test(record.resultReason ?? "")) return true;
  return (record.additionalDetails ?? []).some(
    (detail) =>
      detail.key === "AuthenticationMethod" && PASSKEY_REGISTRATION.test(detail.value ?? ""),
  );
}

/**
 * Registrations of Microsoft Authenticator for push and of a passkey from `since` on, the first
 * per user and method, from one read of "User registered security info" (the same read an
 * Authenticator-only report made before passkey campaigns were counted: no request is added).
 */
export async function readCampaignRegistrations(
  graph: GraphClient,
  since: string | undefined,
): Promise<CampaignRegistrations> {
  const found = await readSecurityInfoRegistrations(graph, since, (record) => {
    if (isPasskeyRecord(record)) return "fido2";
    return PUSH_REGISTRATION.test(record.resultReason ?? "") ? "microsoftAuthenticator" : undefined;
  });
  return {
    microsoftAuthenticator: found.get("microsoftAuthenticator") ?? [],
    fido2: found.get("fido2") ?? [],
  };
}

/** Authenticator push registrations from `since` on, the first per user. */
export async function readPushRegistrations(
  graph: GraphClient,
  since: string | undefined,
): Promise<PushRegistration[]> {
  return (await readCampaignRegistrations(graph, since)).microsoftAuthenticator;
}

/**
 * Registrations of a second factor that is not SMS, voice or an SSPR-only method (the moves the
 * readiness trend counts: Authenticator, a passkey, an OATH token), from `since` on, the first per
 * user. Judged on the result reason ("User registered Passkey", "User registered Authenticator App
 * with Notification and Code"; passkeys §5, graph-contract.md §6.3).
 */
export async function readNonPhoneRegistrations(
  graph: GraphClient,
  since: string | undefined,
): Promise<PushRegistration[]> {
  const found = await readSecurityInfoRegistrations(graph, since, (record) => {
    const reason = record.resultReason ?? "";
    return /^user registered /i.test(reason) && !PHONE_OR_SSPR_REGISTRATION.test(reason)
      ? "moved"
      : undefined;
  });
  return found.get("moved") ?? [];
}

/** Result reasons of registrations that do not move a user off SMS and voice. */
const PHONE_OR_SSPR_REGISTRATION = /phone|sms|voice|email|security question|all required/i;

/**
 * Successful "User registered security info" records from `since` on, sorted by the kind
 * `classify` gives them (undefined: not counted), the first per user and kind.
 */
async function readSecurityInfoRegistrations<K extends string>(
  graph: GraphClient,
  since: string | undefined,
  classify: (record: DirectoryAudit) => K | undefined,
): Promise<Map<K, PushRegistration[]>> {
  const filters = [
    `loggedByService eq ${stringLiteral(SERVICE)}`,
    `activityDisplayName eq ${stringLiteral(REGISTERED)}`,
    ...(since ? [`activityDateTime ge ${new Date(since).toISOString()}`] : []),
  ];
  const first = new Map<K, Map<string, string>>();
  for await (const page of directoryAuditPages(graph, {
    filter: filters.join(" and "),
    top: AUDIT_PAGE_SIZE,
  })) {
    for (const record of page) {
      if (record.result !== "success") continue;
      const kind = classify(record);
      const userId = userOf(record);
      const at = record.activityDateTime;
      if (kind === undefined || !userId || !at) continue;
      let users = first.get(kind);
      if (!users) first.set(kind, (users = new Map()));
      const earlier = users.get(userId);
      if (earlier === undefined || Date.parse(at) < Date.parse(earlier)) users.set(userId, at);
    }
  }
  return new Map(
    [...first].map(([kind, users]) => [kind, [...users].map(([userId, at]) => ({ userId, at }))]),
  );
}
