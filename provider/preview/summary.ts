// A preview as a short Markdown summary for a pull request: per resource, each property from → to
// in words; dangerous changes called out first; the impact numbers when given. The per-property
// changes come from the model's one comparison on the preview's old and new inputs (the Node
// dynamic provider gives the engine no detailed diff to show).
import {
  ARGUMENTS,
  describeChanges,
  isSingleton,
  normalizeArgs,
  passkeyWeakenings,
  type InputsByKind,
  type JsonValue,
  type LikeByKind,
  type PropertyChange,
  type ResourceKind,
  type SettingsByKind,
  UNKNOWN_DISPLAY,
  isUnknown,
  toJson,
} from "../model";
import type { ImpactNumbers } from "./impact";
import { impactLabel } from "./impact";
import { managedPart } from "../live";
import type { ObjectTypes } from "../render/names";
import { idsInChange } from "../render/names";
import type { ParsedPreview, PlannedOp, PlannedResource } from "./parse";
import { escapeMarkdown } from "../render/text";
import {
  KIND_WORDS,
  changeWords,
  objectWords,
  pathSegments,
  propertyWords,
  significantWords,
  targetWords,
  valueWords,
  type Names,
} from "../render/words";

type Props = Record<string, unknown>;

/** What a planned operation does to one resource, property by property. */
export interface ResourcePlan {
  resource: PlannedResource;
  /** declared = the value after the operation, actual = before (null: absent). */
  changes: PropertyChange[];
  /** False when the values before are not known (a create summarized without reading the tenant). */
  fromKnown: boolean;
  /** A sentence about the operation itself, shown before its changes. */
  note?: string;
}

export interface Danger {
  resource: string;
  message: string;
}

/** What the summary needs beyond the preview. */
export interface SummaryContext {
  names: Names;
  /** Object ids the user marked as break-glass (`--break-glass`). */
  breakGlass: ReadonlySet<string>;
  /** The tenant's current settings for singletons the preview creates or replaces, by URN. */
  live?: ReadonlyMap<string, SettingsByKind[ResourceKind]>;
  impact?: ImpactNumbers;
  /** Shown in the heading. */
  stack?: string;
}

/** A group whose display name says it holds emergency access accounts. */
const BREAK_GLASS_NAME = /break[\s_-]*glass|emergency[\s_-]*access/i;

function normalized(kind: ResourceKind, inputs: Props): InputsByKind[ResourceKind] {
  // Inputs the engine recorded or checked are canonical already; normalizing again is harmless
  // and gives the model's types. Unknown values (preview) pass through.
  return normalizeArgs(kind, inputs as LikeByKind[ResourceKind]) as InputsByKind[ResourceKind];
}

function compare(kind: ResourceKind, after: unknown, before: unknown): PropertyChange[] {
  return describeChanges(
    kind,
    after as LikeByKind[ResourceKind],
    before as LikeByKind[ResourceKind],
  );
}

/** A value with the engine's unknown sentinel spelled the way the comparison spells it. */
function knownOrMarked(value: unknown): JsonValue {
  if (isUnknown(value)) return UNKNOWN_DISPLAY;
  if (Array.isArray(value)) return value.map(knownOrMarked);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, knownOrMarked(v)]));
  }
  return toJson(value);
}

/** The declared settings as changes from nothing: what a create sets, when "before" is unknown. */
function declaredAsChanges(kind: ResourceKind, inputs: Props): PropertyChange[] {
  const canonical = knownOrMarked(normalized(kind, inputs)) as Record<string, JsonValue>;
  const changes: PropertyChange[] = [];
  for (const key of ARGUMENTS[kind]) {
    const value = canonical[key];
    // Defaults that change nothing are not news: no description, delete restores.
    if (value === undefined || value === "" || (key === "onDelete" && value === "restore")) {
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        const id =
          typeof item === "string" ? item : String((item as { id?: unknown } | null)?.id ?? "");
        changes.push({ property: `${key}[${id}]`, declared: item, actual: null });
      }
    } else if (key === "featureSettings" && typeof value === "object" && value !== null) {
      for (const [feature, setting] of Object.entries(value)) {
        changes.push({ property: `${key}.${feature}`, declared: setting, actual: null });
      }
    } else {
      changes.push({ property: key, declared: value, actual: null });
    }
  }
  return changes;
}

/** Each resource's planned changes. */
export function planChanges(
  preview: ParsedPreview,
  live: ReadonlyMap<string, SettingsByKind[ResourceKind]> = new Map(),
): ResourcePlan[] {
  return preview.resources.map((resource): ResourcePlan => {
    const { kind, op } = resource;
    const after = resource.new?.inputs ?? {};
    const before = resource.old;
    const current = live.get(resource.urn);
    if (op === "same") return { resource, changes: [], fromKnown: true };
    if (op === "update" && before) {
      return { resource, changes: compare(kind, after, before.inputs), fromKnown: true };
    }
    if (op === "delete" && before) return planDelete(resource, before);
    const tenantSwitch =
      op === "replace" && isSingleton(kind)
        ? `Replaced because the stack now signs in to another tenant (it was adopted in tenant ${String(before?.outputs.tenantId ?? "unknown")}): that tenant is not signed in to, so its settings are NOT restored, and the new tenant's are adopted. Destroy the stack on the old tenant first, or use a new stack.`
        : undefined;
    if (isSingleton(kind) && current !== undefined) {
      return {
        resource,
        changes: compare(kind, after, current),
        fromKnown: true,
        note:
          tenantSwitch ??
          `Adopts the tenant's ${KIND_WORDS[kind]}: the settings it has now are kept for restoring on delete, and these are changed:`,
      };
    }
    return {
      resource,
      changes: declaredAsChanges(kind, after),
      fromKnown: false,
      note:
        tenantSwitch ??
        (isSingleton(kind)
          ? `Adopts the tenant's ${KIND_WORDS[kind]} (its current settings were not read, so only the declared values are shown):`
          : `Creates the security group:`),
    };
  });
}

function planDelete(
  resource: PlannedResource,
  before: NonNullable<PlannedResource["old"]>,
): ResourcePlan {
  const { kind } = resource;
  if (kind === "PilotGroup") {
    const name = typeof before.outputs.displayName === "string" ? before.outputs.displayName : "";
    return {
      resource,
      changes: [],
      fromKnown: true,
      note: `Deletes the group "${name}" (${before.id}); Microsoft Entra keeps it restorable for 30 days.`,
    };
  }
  if (before.outputs.onDelete === "retain" || before.inputs.onDelete === "retain") {
    return {
      resource,
      changes: [],
      fromKnown: true,
      note: "Removed from the program; the tenant's settings stay as they are (onDelete: retain).",
    };
  }
  const original = before.outputs.originalSettings;
  const declared = normalized(kind, before.inputs);
  const restored =
    typeof original === "object" && original !== null
      ? managedPart(
          kind as "RegistrationCampaign" | "AuthenticatorPolicy",
          original as SettingsByKind[ResourceKind],
          declared,
        )
      : undefined;
  return {
    resource,
    changes: restored ? compare(kind, restored, before.inputs) : [],
    fromKnown: true,
    note: "Removed from the program: the settings found when it was adopted are restored:",
  };
}

/**
 * The method the campaign nudged to before the change (else the declared one): the campaign's
 * `targetedAuthenticationMethod`, or its include targets' (one method per campaign).
 */
function campaignMethodWords(resource: PlannedResource): string {
  const inputs = resource.old?.inputs ?? resource.new?.inputs ?? {};
  const targets = Array.isArray(inputs.includeTargets) ? (inputs.includeTargets as Props[]) : [];
  const method = [
    inputs.targetedAuthenticationMethod,
    ...targets.map((t) => t.targetedAuthenticationMethod),
  ].find((m) => typeof m === "string");
  return String(method).toLowerCase() === "fido2" ? "a passkey" : "Microsoft Authenticator";
}

function isBreakGlass(id: string, context: SummaryContext): boolean {
  const name = context.names.get(id.toLowerCase());
  return (
    context.breakGlass.has(id.toLowerCase()) || (name !== undefined && BREAK_GLASS_NAME.test(name))
  );
}

/**
 * The most important lines of a preview: a campaign that changes the method it nudges to
 * ("Nudged to set up: Microsoft Authenticator → a passkey"), before → after.
 */
export function findSignificant(plans: ResourcePlan[]): Danger[] {
  return plans.flatMap((plan) =>
    plan.fromKnown
      ? plan.changes.flatMap((change) => {
          const words = significantWords(
            plan.resource.kind,
            change.property,
            change.actual,
            change.declared,
          );
          return words === undefined ? [] : [{ resource: plan.resource.name, message: words }];
        })
      : [],
  );
}

const LOSS_METHOD: Record<string, { kind: ResourceKind; words: string }> = {
  microsoftAuthenticator: { kind: "AuthenticatorPolicy", words: "Microsoft Authenticator" },
  passkey: { kind: "PasskeyPolicy", words: "their passkey (FIDO2)" },
};

/**
 * A method taken from users who have it registered: counted by `--impact` (its `methodLoss`), or,
 * without the numbers, an include target dropped or an exclude target added to a method policy.
 */
function methodLossDangers(plans: ResourcePlan[], context: SummaryContext): Danger[] {
  const dangers: Danger[] = [];
  const counted = new Set<ResourceKind>();
  for (const loss of context.impact?.methodLoss ?? []) {
    const method = LOSS_METHOD[loss.method];
    if (!method) continue;
    counted.add(method.kind);
    if (loss.users === 0) continue;
    const plan = plans.find((p) => p.resource.kind === method.kind);
    dangers.push({
      resource: plan?.resource.name ?? method.kind,
      message:
        `${loss.users.toLocaleString("en-US")} ${loss.users === 1 ? "user who has" : "users who have"} ${method.words} registered would no longer be allowed to use it ` +
        `(${method.kind === "AuthenticatorPolicy" ? `${loss.defaultMethod.toLocaleString("en-US")} use it as their default MFA method; ` : ""}` +
        `${loss.onlyMfaMethod.toLocaleString("en-US")} ${loss.onlyMfaMethod === 1 ? "has" : "have"} no other MFA method).`,
    });
  }
  for (const plan of plans) {
    const { kind, name } = plan.resource;
    if (!plan.fromKnown || counted.has(kind)) continue;
    if (kind !== "AuthenticatorPolicy" && kind !== "PasskeyPolicy") continue;
    const words = kind === "AuthenticatorPolicy" ? "Microsoft Authenticator" : "passkeys";
    // A target dropped for all users (in mode any) drops nobody.
    const after = plan.resource.new?.inputs.includeTargets;
    const everyone =
      Array.isArray(after) &&
      after.some(
        (t: unknown) =>
          isRecordWithId(t, "all_users") &&
          (kind === "PasskeyPolicy" || isRecordWithMode(t as JsonValue, "any")),
      );
    for (const change of plan.changes) {
      const segments = pathSegments(change.property);
      const id = segments[1]?.key;
      if (segments.length !== 2 || id === undefined) continue;
      const who = id === "all_users" ? "all users" : objectWords(id, context.names);
      if (segments[0].name === "includeTargets" && change.declared === null && !everyone) {
        dangers.push({
          resource: name,
          message: `${capitalized(who)} ${id === "all_users" ? "are" : "is"} no longer included for ${words}: users who have it registered and are in no other include target lose it (the preview's check counts them; \`entra-nudge impact\` names them).`,
        });
      }
      if (segments[0].name === "excludeTargets" && change.actual === null) {
        dangers.push({
          resource: name,
          message: `${capitalized(who)} ${id === "all_users" ? "are" : "is"} now excluded from ${words}: its users who have it registered lose it (the preview's check counts them; \`entra-nudge impact\` names them).`,
        });
      }
    }
  }
  return dangers;
}

function isRecordWithId(value: unknown, id: string): boolean {
  return typeof value === "object" && value !== null && (value as { id?: unknown }).id === id;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The changes a reviewer must not miss. */
export function findDangers(plans: ResourcePlan[], context: SummaryContext): Danger[] {
  const dangers: Danger[] = methodLossDangers(plans, context);
  for (const plan of plans) {
    const { kind, name, op } = plan.resource;
    const add = (message: string) => dangers.push({ resource: name, message });
    if (op === "replace" && isSingleton(kind)) {
      add(
        `Tenant switch: the ${KIND_WORDS[kind]} is replaced because the stack now signs in to another tenant; the old tenant's settings stay as this stack set them. Destroy the stack on the old tenant first, or use a new stack.`,
      );
    }
    if (!plan.fromKnown) continue;
    if (kind === "PasskeyPolicy" && plan.resource.new) {
      // Weakening the passkey policy (model/passkey.ts passkeyWeakenings): against what the stack
      // applied, or on adoption the tenant's current settings.
      const before = plan.resource.old?.inputs ?? context.live?.get(plan.resource.urn);
      if (before) {
        for (const weakening of passkeyWeakenings(
          before as never,
          plan.resource.new.inputs as never,
        )) {
          add(`Passkey policy weakened: ${weakening}`);
        }
      }
    }
    for (const change of plan.changes) {
      const segments = pathSegments(change.property);
      const top = segments[0]?.name;
      const id = segments[1]?.key;
      if (kind === "RegistrationCampaign" && change.property === "state") {
        if (change.declared === "disabled") {
          add(
            `The registration campaign is disabled: nobody is nudged to set up ${campaignMethodWords(plan.resource)} any more.`,
          );
        } else if (change.declared === "default") {
          add(
            "The registration campaign is set back to Microsoft managed: Microsoft decides whether it runs, whom it nudges and to which method (since 2026 it moves campaigns to passkeys), and the declared method and snooze no longer apply.",
          );
        }
      }
      if (
        top === "excludeTargets" &&
        id !== undefined &&
        segments.length === 2 &&
        change.declared === null &&
        isBreakGlass(id, context)
      ) {
        const what = isRecordWithType(change.actual, "user") ? "account" : "group";
        add(
          kind === "RegistrationCampaign"
            ? `The break-glass ${what} ${objectWords(id, context.names)} is no longer excluded from the registration campaign: emergency access accounts can be prompted to register Microsoft Authenticator.`
            : `The break-glass ${what} ${objectWords(id, context.names)} is no longer excluded from Microsoft Authenticator.`,
        );
      }
      if (
        kind === "AuthenticatorPolicy" &&
        change.property === "state" &&
        change.declared === "disabled"
      ) {
        add(
          "Microsoft Authenticator is disabled: users lose push and passwordless sign-in with the app, and the registration campaign has nothing left to nudge them to.",
        );
      }
      const passwordless =
        kind === "AuthenticatorPolicy" &&
        top === "includeTargets" &&
        id !== undefined &&
        ((segments.length === 3 &&
          segments[2].name === "authenticationMode" &&
          change.declared === "deviceBasedPush") ||
          (segments.length === 2 &&
            change.actual === null &&
            isRecordWithMode(change.declared, "deviceBasedPush")));
      if (passwordless) {
        add(
          `Microsoft Authenticator is switched to Passwordless for ${objectWords(id, context.names)}: these users can no longer approve push notifications, and the registration campaign no longer nudges them.`,
        );
      }
    }
  }
  return dangers;
}

function isRecordWithType(value: JsonValue, type: string): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    value.targetType === type
  );
}

function isRecordWithMode(value: JsonValue, mode: string): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    value.authenticationMode === mode
  );
}

const OP_WORDS: Record<PlannedOp, string> = {
  create: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  same: "unchanged",
};
const COUNT_WORDS: Record<PlannedOp, string> = {
  create: "to create",
  update: "to update",
  delete: "to delete",
  replace: "to replace",
  same: "unchanged",
};

function countLine(ops: PlannedOp[] | string[], words: Record<string, string>): string {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  return Object.keys(words)
    .filter((op) => counts.has(op))
    .map((op) => `${counts.get(op)} ${words[op]}`)
    .join(", ");
}

function changeLine(plan: ResourcePlan, change: PropertyChange, names: Names): string {
  const { kind } = plan.resource;
  if (plan.fromKnown) {
    const { label, text } = changeWords(kind, change, names);
    return `- **${escapeMarkdown(label)}**: ${escapeMarkdown(text)}`;
  }
  // Only the value after is known: list items read "+ x", settings read "label: value".
  const label = propertyWords(kind, change.property, names);
  const segments = pathSegments(change.property);
  const isItem = segments.length === 2 && segments[1].key !== undefined;
  const text = isItem
    ? `+ ${typeof change.declared === "string" ? valueWords(kind, change.property, change.declared, names) : targetWords(change.declared, names)}`
    : valueWords(kind, change.property, change.declared, names);
  return `- **${escapeMarkdown(label)}**: ${escapeMarkdown(text)}`;
}

/** The objects a summary names, for the id table at its end (by name, so the order is stable). */
function namedObjects(plans: ResourcePlan[], types: ObjectTypes, names: Names): string[] {
  const ids = new Set<string>();
  for (const plan of plans) {
    for (const change of plan.changes) idsInChange(change).forEach((id) => ids.add(id));
  }
  return [...ids]
    .map((id) => ({ id, name: names.get(id) }))
    .sort((a, b) => (a.name ?? "~").localeCompare(b.name ?? "~") || a.id.localeCompare(b.id))
    .map(
      ({ id, name }) =>
        `| ${name ? escapeMarkdown(name) : "(name not read)"} | ${types.get(id) ?? "object"} | \`${id}\` |`,
    );
}

export function previewMarkdown(
  preview: ParsedPreview,
  plans: ResourcePlan[],
  dangers: Danger[],
  context: SummaryContext,
  types: ObjectTypes,
): string {
  const lines = [
    "<!-- entra-nudge:preview-summary -->",
    `## entra-nudge preview${context.stack ? `: stack \`${escapeMarkdown(context.stack)}\`` : ""}`,
    "",
  ];
  if (preview.errors.length > 0) {
    lines.push(
      "### ⛔ The preview failed",
      "",
      ...preview.errors.map((e) => `- ${escapeMarkdown(e.split(/\r?\n/)[0])}`),
      "",
    );
  }
  const significant = findSignificant(plans);
  if (significant.length > 0) {
    lines.push(
      "### ❗ Significant changes",
      "",
      ...significant.map((d) => `- \`${d.resource}\`: **${escapeMarkdown(d.message)}**`),
      "",
    );
  }
  if (dangers.length > 0) {
    lines.push(
      "### ⚠️ Dangerous changes",
      "",
      ...dangers.map((d) => `- \`${d.resource}\`: ${escapeMarkdown(d.message)}`),
      "",
    );
  }
  // Only changes are counted: an event log, unlike `pulumi preview --json`, has no step for an
  // unchanged resource.
  const changing = plans.filter((plan) => plan.resource.op !== "same");
  lines.push("### Changes", "");
  lines.push(
    changing.length === 0
      ? "No change to the registration campaign, the Microsoft Authenticator policy or the pilot groups."
      : `${countLine(
          changing.map((p) => p.resource.op),
          COUNT_WORDS,
        )}.`,
  );
  for (const plan of changing) {
    const { name, kind, op } = plan.resource;
    lines.push("", `#### \`${name}\` (${KIND_WORDS[kind]}): ${OP_WORDS[op]}`, "");
    if (plan.note) lines.push(escapeMarkdown(plan.note), "");
    if (plan.changes.length > 0) {
      // The method a campaign nudges to is its most important line: first.
      const ordered = [...plan.changes].sort(
        (a, b) =>
          Number(b.property === "targetedAuthenticationMethod") -
          Number(a.property === "targetedAuthenticationMethod"),
      );
      lines.push(...ordered.map((change) => changeLine(plan, change, context.names)));
    } else if (op === "update") {
      lines.push(
        "- no property of the declaration changes (the engine may still call the provider).",
      );
    }
    while (lines[lines.length - 1] === "") lines.pop();
  }
  const others = countLine(
    Object.entries(preview.otherChanges).flatMap(([op, n]) => Array<string>(n).fill(op)),
    COUNT_WORDS,
  );
  if (others) lines.push("", `Other resources in this preview: ${others}.`);
  if (context.impact) lines.push("", ...impactLines(context.impact));
  const objects = namedObjects(changing, types, context.names);
  if (objects.length > 0) {
    lines.push(
      "",
      "<details><summary>Objects named above</summary>",
      "",
      "| Name | Type | Object id |",
      "| --- | --- | --- |",
      ...objects,
      "",
      "</details>",
    );
  }
  return `${lines.join("\n")}\n`;
}

function impactLines(impact: ImpactNumbers): string[] {
  const keys = [...new Set([...Object.keys(impact.current), ...Object.keys(impact.declared)])];
  const show = (n: number | undefined) => (n === undefined ? "–" : n.toLocaleString("en-US"));
  return [
    "### Impact",
    "",
    "| | Now | After this change |",
    "| --- | ---: | ---: |",
    ...keys.map(
      (key) =>
        `| ${escapeMarkdown(impactLabel(key))} | ${show(impact.current[key])} | ${show(impact.declared[key])} |`,
    ),
    "",
    "Numbers from `entra-nudge impact`.",
  ];
}
