// The guardrails' names and per-organisation settings. A policy pack config file (`pulumi preview
// --policy-pack DIR --policy-pack-config FILE`) holds one entry per policy name: its
// enforcementLevel ("mandatory", "advisory", "disabled") and the properties below. The engine fills
// in each schema's defaults and rejects config that does not match the schema before any policy
// runs; the parsers here still accept anything, so a rule never fails on its own configuration.
import type { PolicyConfigSchema } from "@pulumi/policy";
import { isGuid } from "../model";
import { isRecord } from "../model/validation";

/** The policy names: the keys of a policy pack config file. */
export const POLICY = {
  breakGlassExcluded: "break-glass-excluded",
  campaignPinned: "campaign-pinned",
  campaignMaxSnooze: "campaign-max-snooze-days",
  campaignTargetsEligible: "campaign-targets-eligible",
  campaignPasskeyPolicy: "campaign-passkey-policy",
  loginContext: "scuba-ms-aad-3.3v2-login-context",
  authenticatorOtpOff: "scuba-ms-aad-3.3v2-authenticator-otp-off",
} as const;

export type PolicyName = (typeof POLICY)[keyof typeof POLICY];

/**
 * How the emergency-access accounts sign in: Microsoft's guidance asks for a phishing-resistant
 * passwordless method, a passkey (FIDO2, typically a security key) or certificate-based
 * authentication (https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access).
 */
export type BreakGlassSignIn = "passkey" | "certificate";

export interface BreakGlassConfig {
  /** Object ids of the emergency-access groups (lower-cased when parsed). */
  groupIds: string[];
  /** Object ids of emergency-access users; each must be excluded by its own id. */
  userIds: string[];
  /** "passkey" (the default): the PasskeyPolicy must keep them able to use their passkey. */
  signInMethod: BreakGlassSignIn;
}

export type CampaignStateName = "enabled" | "disabled" | "default";

export interface CampaignPinnedConfig {
  /** The campaign states the organisation accepts; "default" is Microsoft managed. */
  allowedStates: CampaignStateName[];
}

export interface MaxSnoozeConfig {
  maxSnoozeDays: number;
}

/**
 * Microsoft's own default snooze (graph-contract.md §2.2), and the only one a Microsoft-managed
 * campaign uses: a stricter default than the 14 days Graph allows.
 */
export const DEFAULT_MAX_SNOOZE_DAYS = 1;
/** "Pinned": the organisation decides, not Microsoft (contract §2.2, state "default"). */
export const DEFAULT_ALLOWED_STATES: CampaignStateName[] = ["enabled", "disabled"];

const GUID_PATTERN =
  "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

export const CONFIG_SCHEMAS: Partial<Record<PolicyName, PolicyConfigSchema>> = {
  [POLICY.breakGlassExcluded]: {
    properties: {
      groupIds: {
        type: "array",
        items: { type: "string", pattern: GUID_PATTERN },
        default: [],
        description: "Object ids of the emergency-access (break-glass) groups.",
      },
      userIds: {
        type: "array",
        items: { type: "string", pattern: GUID_PATTERN },
        default: [],
        description:
          "Object ids of emergency-access users that must be excluded by their own id (membership of an excluded group cannot be seen by a policy).",
      },
      signInMethod: {
        type: "string",
        enum: ["passkey", "certificate"],
        default: "passkey",
        description:
          'How the emergency-access accounts sign in: "passkey" (a FIDO2 security key or other passkey: the PasskeyPolicy must keep them enabled) or "certificate" (certificate-based authentication).',
      },
    },
  },
  [POLICY.campaignPinned]: {
    properties: {
      allowedStates: {
        type: "array",
        items: { type: "string", enum: ["enabled", "disabled", "default"] },
        minItems: 1,
        default: DEFAULT_ALLOWED_STATES,
        description:
          'Campaign states the organisation accepts. Add "default" to allow Microsoft-managed campaigns; leave only "enabled" to require the campaign to run.',
      },
    },
  },
  [POLICY.campaignMaxSnooze]: {
    properties: {
      maxSnoozeDays: {
        type: "integer",
        minimum: 0,
        maximum: 14,
        default: DEFAULT_MAX_SNOOZE_DAYS,
        description: "The longest snooze allowed, in days (0 = the prompt shows at every MFA).",
      },
    },
  },
};

function ids(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [
    ...new Set(
      value
        .filter((id): id is string => typeof id === "string" && isGuid(id))
        .map((id) => id.toLowerCase()),
    ),
  ];
}

export function parseBreakGlassConfig(raw: unknown): BreakGlassConfig {
  const config = isRecord(raw) ? raw : {};
  return {
    groupIds: ids(config.groupIds),
    userIds: ids(config.userIds),
    signInMethod: config.signInMethod === "certificate" ? "certificate" : "passkey",
  };
}

export function parseCampaignPinnedConfig(raw: unknown): CampaignPinnedConfig {
  const config = isRecord(raw) ? raw : {};
  const states = Array.isArray(config.allowedStates)
    ? config.allowedStates.filter((s): s is CampaignStateName =>
        ["enabled", "disabled", "default"].includes(s as string),
      )
    : [];
  return { allowedStates: states.length > 0 ? states : [...DEFAULT_ALLOWED_STATES] };
}

export function parseMaxSnoozeConfig(raw: unknown): MaxSnoozeConfig {
  const config = isRecord(raw) ? raw : {};
  const days = config.maxSnoozeDays;
  return {
    maxSnoozeDays:
      typeof days === "number" && Number.isInteger(days) && days >= 0 && days <= 14
        ? days
        : DEFAULT_MAX_SNOOZE_DAYS,
  };
}
