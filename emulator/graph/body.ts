// Request-body handling for the policy singletons: checking a PATCH body against the type as the
// given version defines it (OData refuses unknown properties and wrong types), the campaign's
// merge semantics (objects merged, collections replaced, §1.5 and §10 item 4) and the audit
// serialisation (enums as their integer values, §6.3).
import type { GraphVersion } from "../types";
import { GraphHttpError } from "../errors";
import { badRequest, unknownBodyProperty } from "./failures";
import type { JsonObject, JsonValue } from "../tenants/format";
import { isHiddenMember, UNKNOWN_FUTURE_VALUE } from "./enums";

export type Shape =
  | { kind: "string" }
  | { kind: "boolean" }
  | { kind: "int"; min?: number; max?: number }
  | {
      kind: "enum";
      type: string;
      /** Members in the schema's value order (their index is the integer value). */
      members: readonly string[];
    }
  | { kind: "array"; of: Shape }
  | { kind: "object"; type: string; fields: Record<string, Field> }
  /** Stored as sent: a beta shape the contract did not research. */
  | { kind: "opaque" };

export interface Field {
  shape: Shape;
  nullable?: boolean;
  /** Exists only on beta (absent from the v1.0 schema). */
  betaOnly?: boolean;
  /** Beta-only, yet accepted (and stored) when sent to v1.0 (§10 item 1). */
  acceptedOnV1?: boolean;
  /** Server-managed: a different value in a PATCH is refused, the same value ignored. */
  readOnly?: boolean;
}

const EDM: Record<string, string> = {
  string: "Edm.String",
  boolean: "Edm.Boolean",
  int: "Edm.Int32",
};

export function isAnnotation(key: string): boolean {
  return key.startsWith("@") || key.includes("@odata.");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Options that decide how validation failures are reported (§10 item 2: configurable code). */
export interface BodyCheck {
  version: GraphVersion;
  errorCode: string;
  /**
   * The request sent `Prefer: include-unknown-enum-members`, so members added after
   * `unknownFutureValue` may be used (enums.ts). Stored tenant data is checked with it set.
   */
  includeUnknownEnumMembers?: boolean;
  /**
   * A PATCH: `unknownFutureValue` in a property it merges means "leave the value as it is"
   * (mergeValue skips it); in a collection, which the PATCH replaces, it is refused (enums.ts).
   */
  patch?: boolean;
}

function invalidValue(check: BodyCheck, path: string, message: string): GraphHttpError {
  return badRequest(`Invalid value for property '${path}': ${message}`, check.errorCode);
}

/**
 * Checks `value` against `shape` for the request's version. Unknown properties and wrong JSON
 * types are OData deserialisation errors; out-of-range numbers and enum members are the
 * service's own validation (§2.6: 400, exact text unknown).
 */
export function checkValue(
  value: unknown,
  shape: Shape,
  check: BodyCheck,
  path: string,
  inCollection = false,
): void {
  switch (shape.kind) {
    case "opaque":
      return;
    case "string":
    case "boolean":
      if (typeof value !== shape.kind) throw conversionError(value, EDM[shape.kind]);
      return;
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value))
        throw conversionError(value, EDM.int);
      if (
        (shape.min !== undefined && value < shape.min) ||
        (shape.max !== undefined && value > shape.max)
      )
        throw invalidValue(
          check,
          path,
          `${value} is outside the range ${shape.min}..${shape.max}.`,
        );
      return;
    case "enum":
      if (typeof value !== "string") throw conversionError(value, `microsoft.graph.${shape.type}`);
      if (value === UNKNOWN_FUTURE_VALUE && shape.members.includes(value)) {
        if (check.patch && !inCollection) return; // kept as it is (mergeValue, enums.ts)
        throw invalidValue(
          check,
          path,
          `'${UNKNOWN_FUTURE_VALUE}' is a placeholder Graph answers for members a client did not ask for, not a value to send; send one of ${memberList(shape)}.`,
        );
      }
      if (!shape.members.includes(value))
        throw invalidValue(
          check,
          path,
          `'${value}' is not a member of microsoft.graph.${shape.type} (${memberList(shape)}).`,
        );
      if (isHiddenMember(shape.members, value) && !check.includeUnknownEnumMembers)
        throw invalidValue(
          check,
          path,
          `'${value}' is a member of microsoft.graph.${shape.type} added after ${UNKNOWN_FUTURE_VALUE}; send the header 'Prefer: include-unknown-enum-members' to use it.`,
        );
      return;
    case "array":
      if (!Array.isArray(value))
        throw badRequest(
          `Invalid value for property '${path}': a collection was expected.`,
          "BadRequest",
        );
      value.forEach((item, i) => {
        if (item === null) throw invalidValue(check, `${path}[${i}]`, "null is not allowed here.");
        checkValue(item, shape.of, check, `${path}[${i}]`, true);
      });
      return;
    case "object":
      if (!isObject(value))
        throw badRequest(
          `Invalid value for property '${path}': an object of type 'microsoft.graph.${shape.type}' was expected.`,
          "BadRequest",
        );
      for (const [key, child] of Object.entries(value)) {
        if (isAnnotation(key)) continue;
        const field = shape.fields[key];
        if (!field || (field.betaOnly && check.version === "v1.0" && !field.acceptedOnV1))
          throw unknownBodyProperty(key, shape.type);
        const childPath = path ? `${path}.${key}` : key;
        if (child === null) {
          if (!field.nullable && !field.readOnly)
            throw invalidValue(check, childPath, "null is not allowed.");
          continue;
        }
        if (!field.readOnly) checkValue(child, field.shape, check, childPath, inCollection);
      }
      return;
  }
}

function memberList(shape: Shape & { kind: "enum" }): string {
  return shape.members.filter((m) => m !== UNKNOWN_FUTURE_VALUE).join(", ");
}

function conversionError(value: unknown, edm: string): GraphHttpError {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return badRequest(
    `Cannot convert the literal '${text}' to the expected type '${edm}'.`,
    "BadRequest",
  );
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies a checked PATCH body to the current value: nested objects are merged so omitted
 * properties keep their value, collections and scalars are replaced (§1.5, §10 item 4). Read-only
 * properties may be sent back unchanged (clients round-trip GET bodies) but not changed.
 */
export function mergeValue(
  current: JsonValue | undefined,
  patch: unknown,
  shape: Shape,
): JsonValue {
  if (shape.kind !== "object" || !isObject(patch) || !isObject(current)) {
    return withoutPlaceholders(structuredClone(patch) as JsonValue, shape);
  }
  const out: JsonObject = { ...(current as JsonObject) };
  for (const [key, value] of Object.entries(patch)) {
    if (isAnnotation(key)) continue;
    const field = shape.fields[key];
    if (!field) continue;
    if (field.readOnly) {
      if (!jsonEqual(value, out[key]))
        throw badRequest(`Property '${key}' is read-only and cannot be set.`, "BadRequest");
      continue;
    }
    // A PATCH's unknownFutureValue leaves the property as it is (checkValue, enums.ts).
    if (field.shape.kind === "enum" && value === UNKNOWN_FUTURE_VALUE) continue;
    out[key] = value === null ? null : mergeValue(out[key], value, field.shape);
  }
  return out;
}

/** A new object from a PATCH: its unknownFutureValue enums are left out, as if absent. */
function withoutPlaceholders(value: JsonValue, shape: Shape): JsonValue {
  if (shape.kind !== "object" || !isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value as JsonObject)) {
    const field = shape.fields[key];
    if (field?.shape.kind === "enum" && v === UNKNOWN_FUTURE_VALUE) continue;
    out[key] = field ? withoutPlaceholders(v, field.shape) : v;
  }
  return out;
}

/** The value with every enum replaced by its integer, as policy audit records print it (§6.3). */
export function auditJson(value: JsonValue | undefined, shape: Shape): JsonValue | undefined {
  if (value === undefined || value === null) return value;
  switch (shape.kind) {
    case "enum": {
      const index = typeof value === "string" ? shape.members.indexOf(value) : -1;
      return index >= 0 ? index : value;
    }
    case "array":
      return Array.isArray(value) ? value.map((v) => auditJson(v, shape.of) ?? null) : value;
    case "object": {
      if (!isObject(value)) return value;
      const out: JsonObject = {};
      for (const [key, v] of Object.entries(value as JsonObject)) {
        if (isAnnotation(key)) continue;
        const field = shape.fields[key];
        out[key] = field ? (auditJson(v, field.shape) ?? null) : v;
      }
      return out;
    }
    default:
      return value;
  }
}

/** Removes what the version's schema lacks (beta-only properties on v1.0), recursively. */
export function projectForVersion(
  value: JsonValue,
  shape: Shape,
  version: GraphVersion,
): JsonValue {
  if (version === "beta" || value === null) return value;
  if (shape.kind === "array" && Array.isArray(value))
    return value.map((v) => projectForVersion(v, shape.of, version));
  if (shape.kind !== "object" || !isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value as JsonObject)) {
    const field = shape.fields[key];
    if (field?.betaOnly) continue;
    out[key] = field ? projectForVersion(v, field.shape, version) : v;
  }
  return out;
}

/**
 * The value as a client that did not send `Prefer: include-unknown-enum-members` sees it: every
 * enum member added after `unknownFutureValue` replaced by `unknownFutureValue` (enums.ts).
 */
export function hideNewerMembers(value: JsonValue, shape: Shape): JsonValue {
  if (value === null) return value;
  switch (shape.kind) {
    case "enum":
      return typeof value === "string" && isHiddenMember(shape.members, value)
        ? UNKNOWN_FUTURE_VALUE
        : value;
    case "array":
      return Array.isArray(value) ? value.map((v) => hideNewerMembers(v, shape.of)) : value;
    case "object": {
      if (!isObject(value)) return value;
      const out: JsonObject = {};
      for (const [key, v] of Object.entries(value as JsonObject)) {
        const field = shape.fields[key];
        out[key] = field ? hideNewerMembers(v, field.shape) : v;
      }
      return out;
    }
    default:
      return value;
  }
}
