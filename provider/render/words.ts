// Property changes in words a reviewer understands: "Snooze: 1 day → every sign-in",
// "Excluded: + Emergency Access Accounts". The changes themselves come from the model's one
// comparison (`describeChanges`); this only names their paths and values.
import {
  ALL_USERS,
  MIXED_METHODS_SEPARATOR,
  NIL_GUID,
  UNKNOWN_DISPLAY,
  canonicalMethod,
  isGuid,
  type JsonValue,
  type PropertyChange,
  type ResourceKind,
} from "../model";

/** Display names of directory objects, by lower-case object id. */
export type Names = ReadonlyMap<string, string>;

/** A resource kind as a reviewer calls it. */
export const KIND_WORDS: Record<ResourceKind, string> = {
  RegistrationCampaign: "registration campaign",
  AuthenticatorPolicy: "Microsoft Authenticator policy",
  PasskeyPolicy: "passkey (FIDO2) policy",
  PilotGroup: "pilot group",
};

const TOP_LABELS: Record<ResourceKind, Record<string, string>> = {
  RegistrationCampaign: {
    state: "State",
    targetedAuthenticationMethod: "Nudged to set up",
    snoozeDurationInDays: "Snooze",
    enforceRegistrationAfterAllowedSnoozes: "Registration required after 3 snoozes",
    includeTargets: "Included",
    excludeTargets: "Excluded",
    passkeyMigrationOptOut: "Opted out of Microsoft's move to passkeys (until 2027-02-01)",
    onDelete: "On removal from the program",
  },
  PasskeyPolicy: {
    state: "State",
    isSelfServiceRegistrationAllowed: "Users can set up passkeys themselves",
    passkeyProfiles: "Passkey profiles",
    includeTargets: "Included",
    excludeTargets: "Excluded",
    onDelete: "On removal from the program",
  },
  AuthenticatorPolicy: {
    state: "State",
    includeTargets: "Included",
    excludeTargets: "Excluded",
    isSoftwareOathEnabled: "Verification codes (software OATH) in the app",
    featureSettings: "Feature settings",
    onDelete: "On removal from the program",
  },
  PilotGroup: {
    displayName: "Name",
    description: "Description",
    mailNickname: "Mail nickname",
    members: "Members",
    owners: "Owners",
  },
};

const TARGET_FIELD_LABELS: Record<string, string> = {
  allowedPasskeyProfiles: "Passkey profiles",
  passkeyTypes: "Passkey types",
  attestationEnforcement: "Attestation",
  keyRestrictions: "Key restrictions",
  authenticationMode: "Authentication mode",
  isRegistrationRequired: "Registration required",
  targetedAuthenticationMethod: "Method nudged to",
  targetType: "Target type",
};

const FEATURE_LABELS: Record<string, string> = {
  displayAppInformationRequiredState: "Show application name in notifications",
  displayLocationInformationRequiredState: "Show geographic location in notifications",
  companionAppAllowedState: "Authenticator Lite in Outlook",
};

const STATE_WORDS: Record<string, string> = {
  enabled: "Enabled",
  disabled: "Disabled",
  default: "Microsoft managed",
};

const MODE_WORDS: Record<string, string> = {
  any: "Any (push or passwordless)",
  push: "Push",
  deviceBasedPush: "Passwordless",
};

const KEYED_LISTS = new Set(["includeTargets", "excludeTargets", "passkeyProfiles"]);

const PASSKEY_TYPE_WORDS: Record<string, string> = {
  deviceBound: "device-bound passkeys",
  synced: "synced passkeys",
};

/**
 * The passkey type a path names, when it is one of a profile's types
 * (`passkeyProfiles[Pilot].passkeyTypes[deviceBound]`): the comparison keys the list by value, so
 * such a change reads "allowed" or "not allowed", never the type's name against "(none)".
 */
export function passkeyTypeAt(path: string): { profile: string; type: string } | undefined {
  const segments = pathSegments(path);
  if (
    segments.length === 4 &&
    segments[0].name === "passkeyProfiles" &&
    segments[1].key !== undefined &&
    segments[2].name === "passkeyTypes" &&
    segments[3].key !== undefined
  ) {
    return { profile: segments[1].key, type: segments[3].key };
  }
  return undefined;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
const NAME_LISTS = new Set(["members", "owners"]);

/** A property path split into names and bracketed keys: `a[k].b` → a, [k], b. */
interface Segment {
  name?: string;
  key?: string;
}

export function pathSegments(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const match of path.matchAll(/\[([^\]]*)\]|([^.[\]]+)/g)) {
    segments.push(match[1] !== undefined ? { key: match[1] } : { name: match[2] });
  }
  return segments;
}

/** An object id (or `all_users`, a UPN) as a person reads it. */
export function objectWords(id: string, names: Names): string {
  if (id === ALL_USERS) return "All users";
  if (id.toLowerCase() === NIL_GUID) return "nobody";
  if (id === UNKNOWN_DISPLAY) return "a new object (id known after apply)";
  return names.get(id.toLowerCase()) ?? id;
}

/** The id a path names in brackets, when it names one (the first, e.g. a target id). */
export function bracketedId(path: string): string | undefined {
  return pathSegments(path).find((segment) => segment.key !== undefined)?.key;
}

/** What a property path is, in words: "Snooze", "Authentication mode for Sales". */
export function propertyWords(kind: ResourceKind, path: string, names: Names): string {
  const segments = pathSegments(path);
  const top = segments[0]?.name ?? path;
  const topLabel = TOP_LABELS[kind][top] ?? top;
  const passkeyType = passkeyTypeAt(path);
  if (passkeyType) {
    const what = PASSKEY_TYPE_WORDS[passkeyType.type] ?? `passkey type "${passkeyType.type}"`;
    return `${capitalized(what)} in profile "${passkeyType.profile}"`;
  }
  if (KEYED_LISTS.has(top) && segments[1]?.key !== undefined) {
    const field = segments[2]?.name;
    if (field === undefined) return topLabel;
    const who = objectWords(segments[1].key, names);
    return `${TARGET_FIELD_LABELS[field] ?? field} for ${who}`;
  }
  if (NAME_LISTS.has(top)) return topLabel;
  if (top === "featureSettings" && segments[1]?.name !== undefined) {
    const feature = FEATURE_LABELS[segments[1].name] ?? segments[1].name;
    const rest = segments.slice(2).map((segment) => segment.name ?? `[${segment.key}]`);
    if (rest.length === 0 || (rest.length === 1 && rest[0] === "state")) return feature;
    if (rest[0] === "includeTarget") return `${feature}: shown to`;
    if (rest[0] === "excludeTarget") return `${feature}: not shown to`;
    return `${feature}: ${rest.join(".")}`;
  }
  return topLabel;
}

function isRecord(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A target ({id, targetType, ...}) in words: "Sales", "Megan Bowen (user), Passwordless". */
export function targetWords(target: JsonValue, names: Names, withName = true): string {
  if (!isRecord(target)) return valueText(target);
  const parts: string[] = [];
  const id = typeof target.id === "string" ? target.id : undefined;
  const who = id === undefined ? "" : objectWords(id, names);
  const kind = typeof target.targetType === "string" ? target.targetType : undefined;
  if (withName) parts.push(kind === "user" ? `${who} (user)` : who);
  else if (kind !== undefined) parts.push(kind);
  if (typeof target.authenticationMode === "string") {
    parts.push(`mode ${MODE_WORDS[target.authenticationMode] ?? target.authenticationMode}`);
  }
  if (target.isRegistrationRequired === true) parts.push("registration required");
  return parts.filter((part) => part !== "").join(", ");
}

/** A scalar the way JSON would show it, without quotes around plain strings. */
function valueText(value: JsonValue): string {
  if (value === null) return "(none)";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/**
 * A value at a path in words. `null` (absent) reads "(none)"; a target object reads as its
 * qualifiers ("group, mode Any") because the path already names it.
 */
export function valueWords(
  kind: ResourceKind,
  path: string,
  value: JsonValue,
  names: Names,
): string {
  if (value === UNKNOWN_DISPLAY) return UNKNOWN_DISPLAY;
  if (passkeyTypeAt(path)) return value === null ? "not allowed" : "allowed";
  if (value === null) return "(none)";
  const segments = pathSegments(path);
  const top = segments[0]?.name ?? path;
  const leaf = [...segments].reverse().find((segment) => segment.name !== undefined)?.name;
  if (KEYED_LISTS.has(top) && segments.length === 2) return targetWords(value, names, false);
  if (NAME_LISTS.has(top) && typeof value === "string") {
    return isGuid(value) ? objectWords(value, names) : value;
  }
  if (leaf === "id" && typeof value === "string") return objectWords(value, names);
  if (leaf === "state" && typeof value === "string") return STATE_WORDS[value] ?? value;
  if (leaf === "authenticationMode" && typeof value === "string") {
    return MODE_WORDS[value] ?? value;
  }
  if (leaf === "snoozeDurationInDays" && typeof value === "number") return snoozeWords(value);
  if (leaf === "targetedAuthenticationMethod" && typeof value === "string") {
    return methodWords(value);
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (kind === "PilotGroup" && top === "description" && value === "") return "(none)";
  if (typeof value === "string") return `"${value}"`;
  if (isRecord(value) && top === "featureSettings") return featureWords(value, names);
  return valueText(value);
}

const METHOD_WORDS: Record<string, string> = {
  microsoftAuthenticator: "Microsoft Authenticator",
  fido2: "a passkey",
};

/** "a passkey", "Microsoft Authenticator"; targets that disagree read as both (never valid). */
export function methodWords(method: string): string {
  const methods = method.split(MIXED_METHODS_SEPARATOR);
  const words = methods.map((one) => METHOD_WORDS[canonicalMethod(one)] ?? one);
  return words.length === 1
    ? words[0]
    : `${words.join(" and ")} on different targets (one method per campaign)`;
}

/**
 * The changes a reviewer must not miss, as one sentence, or undefined: a campaign that changes the
 * method it nudges to ("Nudged to set up: Microsoft Authenticator → a passkey"). Oriented
 * `from → to` as given: preview summaries pass actual → declared, drift reports declared → actual
 * (what happened in the tenant).
 */
export function significantWords(
  kind: ResourceKind,
  property: string,
  from: JsonValue,
  to: JsonValue,
): string | undefined {
  if (kind !== "RegistrationCampaign" || property !== "targetedAuthenticationMethod") {
    return undefined;
  }
  if (typeof from !== "string" || typeof to !== "string") return undefined;
  return `${TOP_LABELS.RegistrationCampaign.targetedAuthenticationMethod}: ${methodWords(from)} → ${methodWords(to)}`;
}

function snoozeWords(days: number): string {
  if (days === 0) return "every sign-in";
  return days === 1 ? "1 day" : `${days} days`;
}

function featureWords(setting: { [key: string]: JsonValue }, names: Names): string {
  const state = typeof setting.state === "string" ? (STATE_WORDS[setting.state] ?? "") : "";
  const target = (value: JsonValue | undefined) =>
    isRecord(value ?? null) && typeof (value as { id?: unknown }).id === "string"
      ? objectWords((value as { id: string }).id, names)
      : "";
  const shown = target(setting.includeTarget);
  const hidden = target(setting.excludeTarget);
  return [
    state,
    shown && shown !== "All users" ? `shown to ${shown}` : "",
    hidden && hidden !== "nobody" ? `not to ${hidden}` : "",
  ]
    .filter((part) => part !== "")
    .join(", ");
}

/**
 * A planned change in words, oriented from → to (`actual` is what is there now, `declared` what
 * it becomes): list items read "+ Sales" / "− Sales", everything else "1 day → every sign-in".
 */
export function changeWords(
  kind: ResourceKind,
  change: PropertyChange,
  names: Names,
): { label: string; text: string } {
  const label = propertyWords(kind, change.property, names);
  const segments = pathSegments(change.property);
  const top = segments[0]?.name ?? "";
  const isListItem =
    (KEYED_LISTS.has(top) || NAME_LISTS.has(top)) &&
    segments.length === 2 &&
    segments[1].key !== undefined;
  if (isListItem && (change.actual === null || change.declared === null)) {
    const item = change.declared ?? change.actual;
    const words =
      item === UNKNOWN_DISPLAY
        ? "a new object (id known after apply)"
        : NAME_LISTS.has(top)
          ? valueWords(kind, change.property, item, names)
          : targetWords(item, names);
    return { label, text: `${change.actual === null ? "+" : "−"} ${words}` };
  }
  if (passkeyTypeAt(change.property)) {
    return { label, text: change.declared === null ? "no longer allowed" : "now allowed" };
  }
  const from = valueWords(kind, change.property, change.actual, names);
  const to = valueWords(kind, change.property, change.declared, names);
  return { label, text: `${from} → ${to}` };
}
