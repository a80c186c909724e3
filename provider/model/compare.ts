// The one comparison of canonical forms, property by property. Callers normalize both sides first
// (campaign.ts, authenticator.ts, pilotGroup.ts); this walks them and names each difference with a
// path a person can read: `snoozeDurationInDays`, `includeTargets[<id>].authenticationMode`,
// `featureSettings.companionAppAllowedState.state`, `members[alice@contoso.com]`.
import { isUnknown } from "./ids";
import { compareStrings } from "./targets";
import { isRecord, propertyPath } from "./validation";

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One difference: what the program declares versus what is there. `null` = absent. */
export interface PropertyChange {
  property: string;
  declared: JsonValue;
  actual: JsonValue;
}

/** How a value that is unknown during preview appears in a change. */
export const UNKNOWN_DISPLAY = "(known after apply)";

export interface CompareRules {
  /** The arguments to compare, in display order; anything else (outputs, `__provider`) is ignored. */
  arguments: readonly string[];
  /** Arguments the provider keeps for itself (not in Graph): compared only when both sides have them. */
  providerOnly?: readonly string[];
}

/**
 * Differences between two canonical values. A property absent on the declared side is not managed
 * and never compared; that is how "omitted = not managed" reaches every consumer.
 */
export function compareCanonical(
  declared: Readonly<Record<string, unknown>>,
  actual: Readonly<Record<string, unknown>>,
  rules: CompareRules,
): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const key of rules.arguments) {
    if (rules.providerOnly?.includes(key) === true && actual[key] === undefined) continue;
    compareValue(key, declared[key], actual[key], changes);
  }
  return changes;
}

function compareValue(
  path: string,
  declared: unknown,
  actual: unknown,
  changes: PropertyChange[],
): void {
  // Absent on the declared side = not managed.
  if (declared === undefined) return;
  if (isUnknown(declared)) {
    changes.push({ property: path, declared: UNKNOWN_DISPLAY, actual: toJson(actual) });
    return;
  }
  if (Array.isArray(declared) && Array.isArray(actual)) {
    if (declared.every(isKeyedOrUnknown) && actual.every(isKeyed)) {
      compareKeyed(path, declared, actual, changes);
      return;
    }
    if (declared.every(isString) && actual.every(isString)) {
      compareSets(path, declared, actual, changes);
      return;
    }
  }
  if (isRecord(declared) && isRecord(actual)) {
    for (const key of Object.keys(declared)) {
      compareValue(propertyPath(path, key), declared[key], actual[key], changes);
    }
    return;
  }
  if (!sameJson(declared, actual)) {
    changes.push({ property: path, declared: toJson(declared), actual: toJson(actual) });
  }
}

type Keyed = Record<string, unknown> & { id: string };

function isKeyed(value: unknown): value is Keyed {
  return isRecord(value) && typeof value.id === "string";
}

function isKeyedOrUnknown(value: unknown): boolean {
  return isUnknown(value) || isKeyed(value);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** Lists of targets are compared by id: order never matters, a changed field is named. */
function compareKeyed(
  path: string,
  declared: unknown[],
  actual: Keyed[],
  changes: PropertyChange[],
): void {
  const actualById = new Map(actual.map((item) => [item.id, item]));
  const declaredIds = new Set<string>();
  for (const item of declared) {
    if (!isKeyed(item) || isUnknown(item.id)) {
      changes.push({
        property: `${path}[${UNKNOWN_DISPLAY}]`,
        declared: UNKNOWN_DISPLAY,
        actual: null,
      });
      continue;
    }
    declaredIds.add(item.id);
    const itemPath = `${path}[${item.id}]`;
    const other = actualById.get(item.id);
    if (other === undefined) {
      changes.push({ property: itemPath, declared: toJson(item), actual: null });
      continue;
    }
    for (const key of Object.keys(item)) {
      if (key !== "id") compareValue(propertyPath(itemPath, key), item[key], other[key], changes);
    }
  }
  for (const item of [...actual].sort((a, b) => compareStrings(a.id, b.id))) {
    if (!declaredIds.has(item.id)) {
      changes.push({ property: `${path}[${item.id}]`, declared: null, actual: toJson(item) });
    }
  }
}

/** Lists of names (members, owners) are sets. */
function compareSets(
  path: string,
  declared: string[],
  actual: string[],
  changes: PropertyChange[],
) {
  const actualSet = new Set(actual);
  const declaredSet = new Set(declared);
  for (const item of declared) {
    if (isUnknown(item)) {
      changes.push({
        property: `${path}[${UNKNOWN_DISPLAY}]`,
        declared: UNKNOWN_DISPLAY,
        actual: null,
      });
    } else if (!actualSet.has(item)) {
      changes.push({ property: `${path}[${item}]`, declared: item, actual: null });
    }
  }
  for (const item of [...actualSet].sort(compareStrings)) {
    if (!declaredSet.has(item)) {
      changes.push({ property: `${path}[${item}]`, declared: null, actual: item });
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableText(toJson(a)) === stableText(toJson(b));
}

function stableText(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(stableText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort(compareStrings);
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableText(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** A JSON copy of a canonical value, undefined as null (JSON has no undefined). */
export function toJson(value: unknown): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (isRecord(value)) {
    const copy: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value)) {
      if (value[key] !== undefined) copy[key] = toJson(value[key]);
    }
    return copy;
  }
  return String(value);
}
