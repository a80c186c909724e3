// Target rules shared by the campaign and the Authenticator configuration: id recognition, target
// types, duplicates, include/exclude overlap, and the canonical order of target lists.
import { ALL_USERS, NIL_GUID, canonicalId, classifyId, isUnknown, type UnknownValue } from "./ids";
import type { Previewable } from "./types";
import {
  checkEnum,
  checkKnownKeys,
  describeValue,
  isRecord,
  propertyPath,
  type ProblemCollector,
  type ValidationProblem,
} from "./validation";

const EXAMPLE_GUID = "3ee3a9de-0a86-4e12-a287-9769accf1ba2";

/** A target whose id is known and valid, kept for the checks across targets. */
export interface SeenTarget {
  path: string;
  /** Canonical id. */
  id: string;
  /** The id as declared, for messages. */
  declaredId: string;
}

export interface TargetIdRule {
  /** Where the target is used, for messages: "campaign", "Microsoft Authenticator". */
  where: string;
  /** The message tail when `all_users` is not allowed here; undefined when it is. */
  allUsersRefused?: string;
  /** Graph writes the nil GUID for "nobody" in feature-setting exclude targets. */
  allowNilGuid?: boolean;
}

/** Checks one target id; returns the canonical id when it is known and valid. */
export function checkTargetId(
  collector: ProblemCollector,
  path: string,
  value: unknown,
  rule: TargetIdRule,
): string | undefined {
  const choices =
    rule.allUsersRefused === undefined
      ? `the object id (GUID) of a group or user, or "all_users"`
      : "the object id (GUID) of a group or user";
  if (isUnknown(value)) return undefined;
  if (value === undefined || value === null) {
    collector.add(path, `is required. Use ${choices}.`);
    return undefined;
  }
  if (typeof value !== "string") {
    collector.add(path, `${describeValue(value)} is not a string. Use ${choices}.`);
    return undefined;
  }
  if (value.trim() === "") {
    collector.add(path, `is empty. Use ${choices}.`);
    return undefined;
  }
  const kind = classifyId(value);
  if (kind === "allUsers") {
    if (rule.allUsersRefused === undefined) return value;
    collector.add(path, `"all_users" ${rule.allUsersRefused}`);
    return undefined;
  }
  if (kind === "guid") {
    if (value.toLowerCase() === NIL_GUID && rule.allowNilGuid !== true) {
      collector.add(
        path,
        `${describeValue(value)} is the empty GUID and names no user or group. Use a real object id.`,
      );
      return undefined;
    }
    return canonicalId(value);
  }
  if (value.toLowerCase() === ALL_USERS) {
    collector.add(
      path,
      `${describeValue(value)} is not valid: the all-users id is case-sensitive. Use "all_users".`,
    );
    return undefined;
  }
  if (kind === "upn") {
    collector.add(
      path,
      `${describeValue(value)} is a user principal name, but ${rule.where} targets take object ids. ` +
        `Use the user's object id, or add the user to a PilotGroup (its members accept UPNs) and target the group.`,
    );
    return undefined;
  }
  collector.add(
    path,
    `${describeValue(value)} is neither an object id (GUID) nor "all_users". Use ${choices}, ` +
      `e.g. "${EXAMPLE_GUID}" (a PilotGroup's id or an azuread.Group's objectId).`,
  );
  return undefined;
}

export interface TargetListRule {
  /** "includeTargets" or "excludeTargets". */
  list: string;
  where: string;
  /** Allowed properties of one target. */
  keys: readonly string[];
  allUsersRefused?: string;
  /** Checks of the properties beyond id and targetType. */
  checkMore?: (collector: ProblemCollector, path: string, target: Record<string, unknown>) => void;
}

/**
 * Checks a list of user/group targets. Returns the targets whose ids are known and valid (for the
 * checks across lists), or "unknown" when the whole list is unknown during preview.
 */
export function checkTargetList(
  collector: ProblemCollector,
  value: unknown,
  rule: TargetListRule,
): SeenTarget[] | "unknown" {
  if (isUnknown(value)) return "unknown";
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    collector.add(
      rule.list,
      `${describeValue(value)} is not a list. Use a list of targets such as [{ id: "${EXAMPLE_GUID}", targetType: "group" }].`,
    );
    return [];
  }
  const seen: SeenTarget[] = [];
  value.forEach((target: unknown, index) => {
    const path = propertyPath(rule.list, index);
    if (isUnknown(target)) return;
    if (!isRecord(target)) {
      collector.add(
        path,
        `${describeValue(target)} is not a target. Use an object such as { id: "${EXAMPLE_GUID}", targetType: "group" }.`,
      );
      return;
    }
    checkKnownKeys(collector, path, target, rule.keys, `a ${rule.where} target property`);
    const idPath = propertyPath(path, "id");
    const id = checkTargetId(collector, idPath, target.id, {
      where: rule.where,
      allUsersRefused: rule.allUsersRefused,
    });
    const typePath = propertyPath(path, "targetType");
    const typeStatus = checkEnum(collector, typePath, target.targetType, {
      what: "target type",
      allowed: ["group", "user"],
      choices: `"group" or "user"`,
      requiredFix: `Use "group" or "user".`,
      explained: Object.fromEntries(
        ["role", "administrativeUnit"].map((bad) => [
          bad,
          `is not allowed in ${rule.where} targets, which take "group" or "user". ` +
            `Administrative units and roles can only be used in Authenticator feature settings.`,
        ]),
      ),
    });
    if (id === ALL_USERS && typeStatus === "ok" && target.targetType === "user") {
      collector.add(
        typePath,
        `"user" cannot be used with id "all_users", which stands for a group of everyone. Use targetType "group".`,
      );
    }
    rule.checkMore?.(collector, path, target);
    if (id === undefined) return;
    const earlier = seen.find((other) => other.id === id);
    if (earlier !== undefined) {
      const sameSpelling = earlier.declaredId === target.id;
      collector.add(
        idPath,
        sameSpelling
          ? `${describeValue(target.id)} is listed twice (also ${earlier.path}). Remove one of them.`
          : `${describeValue(target.id)} is the same object id as ${earlier.path} (GUIDs are case-insensitive). Remove one of them.`,
      );
      return;
    }
    seen.push({ path: idPath, id, declaredId: String(target.id) });
  });
  return seen;
}

/** Exclusion wins over inclusion in Graph, so a target in both lists is a mistake. */
export function checkIncludeExcludeOverlap(
  collector: ProblemCollector,
  included: SeenTarget[] | "unknown",
  excluded: SeenTarget[] | "unknown",
): void {
  if (included === "unknown" || excluded === "unknown") return;
  for (const exclude of excluded) {
    const include = included.find((candidate) => candidate.id === exclude.id);
    if (include === undefined) continue;
    collector.add(
      exclude.path,
      `${describeValue(exclude.declaredId)} is also included (${include.path}); exclusion wins, ` +
        `so including it has no effect. Remove it from one of the two lists.`,
    );
  }
}

/** `state: "enabled"` with nobody included is almost certainly a mistake. */
export function checkIncludeNotEmpty(
  collector: ProblemCollector,
  state: unknown,
  includeTargets: unknown,
  consequence: string,
): void {
  if (state !== "enabled" || !Array.isArray(includeTargets) || includeTargets.length > 0) return;
  collector.add(
    "includeTargets",
    `is empty while state is "enabled", so ${consequence}. ` +
      `Add a target such as { id: "all_users", targetType: "group" }, or set state to "disabled".`,
  );
}

/** A single feature-setting target (`includeTarget` / `excludeTarget`). */
export function checkFeatureTarget(
  collector: ProblemCollector,
  path: string,
  value: unknown,
  side: "include" | "exclude",
): string | undefined {
  if (isUnknown(value) || value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    collector.add(
      path,
      `${describeValue(value)} is not a target. Use an object such as { id: "${EXAMPLE_GUID}", targetType: "group" }.`,
    );
    return undefined;
  }
  checkKnownKeys(collector, path, value, ["id", "targetType"], "a feature-setting target property");
  const id = checkTargetId(collector, propertyPath(path, "id"), value.id, {
    where: "feature-setting",
    allowNilGuid: side === "exclude",
    allUsersRefused:
      side === "exclude"
        ? `would turn the feature off for everyone. Set the feature's state to "disabled" instead, or exclude a group.`
        : undefined,
  });
  const typePath = propertyPath(path, "targetType");
  const typeStatus = checkEnum(collector, typePath, value.targetType, {
    what: "feature target type",
    allowed: ["group", "administrativeUnit", "role"],
    requiredFix: `Use "group", "administrativeUnit" or "role".`,
    explained: {
      user:
        `is not allowed in feature settings, which target a "group", "administrativeUnit" or "role". ` +
        `Put the users in a group and target the group.`,
    },
  });
  if (id === ALL_USERS && typeStatus === "ok" && value.targetType !== "group") {
    collector.add(
      typePath,
      `${describeValue(value.targetType)} cannot be used with id "all_users", which stands for a group of everyone. Use targetType "group".`,
    );
  }
  return id;
}

interface Sortable {
  id: string;
  targetType?: unknown;
}

function isSortable<T>(value: T): value is T & Sortable {
  return isRecord(value) && typeof value.id === "string" && !isUnknown(value.id);
}

/** Canonical order: `all_users` first, then by id, then by type; unknown ids last, in declared order. */
export function sortTargets<T>(targets: readonly T[]): T[] {
  const known: (T & Sortable)[] = [];
  const unknown: T[] = [];
  for (const target of targets) {
    if (isSortable(target)) known.push(target);
    else unknown.push(target);
  }
  known.sort(compareTargets);
  return [...known, ...unknown];
}

export function compareTargets(a: Sortable, b: Sortable): number {
  const rank = (target: Sortable) => (target.id === ALL_USERS ? 0 : 1);
  return (
    rank(a) - rank(b) ||
    compareStrings(a.id, b.id) ||
    compareStrings(String(a.targetType ?? ""), String(b.targetType ?? ""))
  );
}

/** Locale-independent, so the canonical order is the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A target list: default when omitted, unknown as a whole stays unknown, else canonical order. */
export function normalizeList<In, Out>(
  list: readonly Previewable<In>[] | UnknownValue | undefined | null,
  fallback: () => Out[],
  normalize: (item: Previewable<In>) => Previewable<Out>,
): Previewable<Out>[] | UnknownValue {
  // A default holds no unknowns, so it is a valid Previewable.
  if (list === undefined || list === null) return fallback() as Previewable<Out>[];
  if (isUnknown(list)) return list;
  return sortTargets(list.map(normalize));
}

/** What a target id names in the tenant (graph/users.ts lookUpPrincipals): its kind and name. */
export interface TargetObject {
  /** "user", "group", ... */
  type: string;
  displayName?: string;
  userPrincipalName?: string;
}

/**
 * Targets whose declared targetType is not what their id is (a group declared as a user, or the
 * reverse), checked before the first write: Graph stores such a target without applying it to the
 * group's members, so an exclusion leaves them nudged. Ids not found are left alone (a group
 * created moments ago may not have replicated yet, §4.8).
 */
export function targetTypeProblems(
  lists: Partial<Record<"includeTargets" | "excludeTargets", readonly Sortable[]>>,
  found: ReadonlyMap<string, TargetObject>,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const list of ["includeTargets", "excludeTargets"] as const) {
    for (const target of lists[list] ?? []) {
      const object = found.get(target.id);
      if (!object || (object.type !== "user" && object.type !== "group")) continue;
      if (object.type === target.targetType) continue;
      const name = object.userPrincipalName ?? object.displayName;
      const effect =
        list === "excludeTargets"
          ? `its ${object.type === "group" ? "members are" : "user is"} not excluded and would be nudged (a break-glass group declared this way leaves its accounts nudged)`
          : `its ${object.type === "group" ? "members are" : "user is"} not included`;
      problems.push({
        property: list,
        message:
          `${list}: "${target.id}" is declared with targetType "${target.targetType}", but it is the ${object.type}${name ? ` "${name}"` : ""}: ${effect}. ` +
          `Write { id: "${target.id}", targetType: "${object.type}" }.`,
      });
    }
  }
  return problems;
}

/** A target a declaration names by object id, and where: "includeTargets[0]". */
export interface DeclaredTarget {
  path: string;
  /** Canonical (lower-case) object id. */
  id: string;
  targetType: string;
}

const FEATURE_TARGET_KEYS = ["includeTarget", "excludeTarget"] as const;

/**
 * The users and groups a singleton's canonical inputs name by object id: include and exclude
 * targets, and the group targets of Authenticator feature settings. `all_users`, the nil GUID
 * (Graph's "nobody" in feature settings), unknown values and administrative units or roles are
 * left out: they name no user or group to look up.
 */
export function declaredTargets(inputs: Readonly<Record<string, unknown>>): DeclaredTarget[] {
  const targets: DeclaredTarget[] = [];
  const add = (path: string, target: unknown, types: readonly string[]) => {
    if (!isRecord(target) || typeof target.id !== "string") return;
    if (typeof target.targetType !== "string" || !types.includes(target.targetType)) return;
    if (classifyId(target.id) !== "guid" || target.id.toLowerCase() === NIL_GUID) return;
    targets.push({ path, id: canonicalId(target.id), targetType: target.targetType });
  };
  for (const list of ["includeTargets", "excludeTargets"] as const) {
    const value = inputs[list];
    if (!Array.isArray(value)) continue;
    value.forEach((target, index) => add(propertyPath(list, index), target, ["user", "group"]));
  }
  const features = inputs.featureSettings;
  if (isRecord(features)) {
    for (const [name, setting] of Object.entries(features)) {
      if (!isRecord(setting)) continue;
      for (const key of FEATURE_TARGET_KEYS) {
        add(propertyPath(propertyPath("featureSettings", name), key), setting[key], ["group"]);
      }
    }
  }
  return targets;
}

/** The targets of `now` that `before` did not declare (same id and type): the ones to look up. */
export function newTargets(
  now: readonly DeclaredTarget[],
  before: readonly DeclaredTarget[],
): DeclaredTarget[] {
  const known = new Set(before.map((target) => `${target.targetType}:${target.id}`));
  return now.filter((target) => !known.has(`${target.targetType}:${target.id}`));
}

/**
 * Targets whose id names no user or group of the tenant: Graph stores such a target without a
 * word, and a campaign whose only include target names nothing nudges nobody, while the stack
 * and `drift` report it in sync. A found object of another kind (a device, an application) is
 * refused too; a user declared as a group (or the reverse) is targetTypeProblems'.
 */
export function missingTargetProblems(
  targets: readonly DeclaredTarget[],
  found: ReadonlyMap<string, TargetObject>,
  tenantId: string,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const target of targets) {
    const object = found.get(target.id);
    if (object && (object.type === "user" || object.type === "group")) continue;
    const what = target.targetType === "user" ? "user" : "group";
    const where =
      target.targetType === "user"
        ? "Entra admin center › Users › the user › Object ID"
        : "Entra admin center › Groups › the group › Object ID";
    problems.push({
      property: target.path,
      message:
        `${target.path}: "${target.id}" is not a ${what} of tenant ${tenantId}` +
        (object
          ? ` (it is a ${object.type}${object.displayName ? ` "${object.displayName}"` : ""}), `
          : ` (no user, group or other directory object has this id), `) +
        `so nothing was written: Graph would store the target without applying it to anyone. ` +
        `Use the object id of an existing ${what} (${where}), or remove the target.`,
    });
  }
  return problems;
}
