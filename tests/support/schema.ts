// A validator for Graph JSON bodies, built from Microsoft's published metadata: it reports every
// property name a type lacks in the given version, every enum value that is not a member, every
// wrong JSON type and every null in a non-nullable property. Instance annotations (`@odata.*`,
// `@microsoft.graph.*`) are allowed; property annotations (`includeTargets@odata.context`) must
// name a property that exists.
//
// Sources, in order of authority:
// 1. tests/fixtures/graph-schema/v1.0-subset.csdl.xml: v1.0 EntityType/ComplexType/EnumType
//    definitions (BaseType inheritance, Nullable, OpenType), parsed with a small XML reader.
// 2. tests/fixtures/graph-schema/beta-properties.json: each listed type's own property names and
//    enum members on beta (inheritance from the CSDL).
// 3. @microsoft/microsoft-graph-types (generated from the v1.0 metadata): types the subset does
//    not carry (user, the other method configurations, report summaries).
// 4. graph-contract.md: the shapes of beta-only complex types the other sources do not describe
//    (§1.4, §5.4), and the documented real-response quirks listed in ALLOWANCES.
import { readFileSync } from "node:fs";
import * as path from "node:path";

export type SchemaVersion = "v1.0" | "beta";

/** A property's type: a primitive (Edm.*), a named type, or unknown (not researched). */
interface TypeRef {
  name: string;
  collection: boolean;
}

interface PropertyDef {
  type: TypeRef;
  nullable: boolean;
}

interface StructuredType {
  name: string;
  base?: string;
  open: boolean;
  properties: Map<string, PropertyDef>;
}

const FIXTURES = path.resolve(__dirname, "../../../tests/fixtures/graph-schema");
const GRAPH_TYPES = require.resolve("@microsoft/microsoft-graph-types/microsoft-graph.d.ts");

/** Documented real-response content the schema does not describe, by "type.property". */
const ALLOWANCES = {
  /** §6.2 and §9.7: real userIdentity objects also carry these (userIdentity is an open type). */
  openProperties: new Map([
    ["userIdentity", new Set(["userType", "homeTenantId", "homeTenantName"])],
  ]),
  /** §5.4 and §9.6: the documented example prints "" for a user without methods. */
  enumValues: new Map([
    ["userRegistrationDetails.userPreferredMethodForSecondaryAuthentication", new Set([""])],
  ]),
};

/** Beta-only properties whose types neither metadata source gives (graph-contract.md). */
const BETA_PROPERTY_TYPES: Record<string, Record<string, TypeRef>> = {
  authenticationMethodsPolicy: {
    systemCredentialPreferences: { name: "systemCredentialPreferences", collection: false },
    reportSuspiciousActivitySettings: {
      name: "reportSuspiciousActivitySettings",
      collection: false,
    },
    microsoftAuthenticatorPlatformSettings: { name: "", collection: false }, // §1.4: not researched
  },
  authenticationMethodsRegistrationCampaign: {
    enforceRegistrationAfterAllowedSnoozes: { name: "Edm.Boolean", collection: false },
  },
  microsoftAuthenticatorFeatureSettings: {
    companionAppAllowedState: {
      name: "authenticationMethodFeatureConfiguration",
      collection: false,
    },
    numberMatchingRequiredState: {
      name: "authenticationMethodFeatureConfiguration",
      collection: false,
    },
  },
  userRegistrationDetails: {
    defaultMfaMethod: { name: "defaultMfaMethodType", collection: false },
  },
};

/** §1.4, §5.4 and §9.2: beta types described only by the contract. */
const BETA_TYPES: StructuredType[] = [
  {
    // §9.2 lists it among the beta policy's configurations; v1.0 has no such type.
    name: "hardwareOathAuthenticationMethodConfiguration",
    base: "authenticationMethodConfiguration",
    open: false,
    properties: new Map([
      [
        "includeTargets",
        { type: { name: "authenticationMethodTarget", collection: true }, nullable: true },
      ],
    ]),
  },
  {
    name: "systemCredentialPreferences",
    open: false,
    properties: new Map([
      ["state", { type: { name: "advancedConfigState", collection: false }, nullable: true }],
      ["includeTargets", { type: { name: "includeTarget", collection: true }, nullable: true }],
      ["excludeTargets", { type: { name: "excludeTarget", collection: true }, nullable: true }],
    ]),
  },
  {
    name: "reportSuspiciousActivitySettings",
    open: false,
    properties: new Map([
      ["state", { type: { name: "advancedConfigState", collection: false }, nullable: true }],
      ["includeTarget", { type: { name: "includeTarget", collection: false }, nullable: true }],
      ["voiceReportingCode", { type: { name: "Edm.Int32", collection: false }, nullable: true }],
    ]),
  },
];
const BETA_ENUMS = new Map([
  [
    "defaultMfaMethodType",
    [
      "none",
      "mobilePhone",
      "alternateMobilePhone",
      "officePhone",
      "microsoftAuthenticatorPush",
      "softwareOneTimePasscode",
      "unknownFutureValue",
    ],
  ],
]);

/**
 * 2026 additions the metadata snapshots predate, from the reference pages
 * graph-contract-passkeys.md §4 cites (fido2AuthenticationMethodConfiguration, passkeyProfile,
 * passkeyAuthenticationMethodTarget, v1.0 and beta alike) and §2 (the beta-only opt-out, whose
 * complex type's name is not published: the emulator's is used).
 */
const PASSKEY_TYPES: StructuredType[] = [
  {
    name: "passkeyProfile",
    open: false,
    properties: new Map([
      ["id", { type: { name: "Edm.String", collection: false }, nullable: false }],
      ["name", { type: { name: "Edm.String", collection: false }, nullable: false }],
      ["passkeyTypes", { type: { name: "Edm.String", collection: false }, nullable: false }],
      [
        "attestationEnforcement",
        { type: { name: "attestationEnforcement", collection: false }, nullable: false },
      ],
      [
        "keyRestrictions",
        { type: { name: "fido2KeyRestrictions", collection: false }, nullable: true },
      ],
    ]),
  },
  {
    name: "passkeyAuthenticationMethodTarget",
    base: "authenticationMethodTarget",
    open: false,
    properties: new Map([
      [
        "allowedPasskeyProfiles",
        { type: { name: "Edm.String", collection: true }, nullable: false },
      ],
    ]),
  },
  {
    name: "authenticationMethodsPolicyOptOutSettings",
    open: false,
    properties: new Map([
      [
        "passkeyDynamicMigration",
        { type: { name: "Edm.Boolean", collection: false }, nullable: true },
      ],
    ]),
  },
];
const PASSKEY_PROPERTIES: Record<string, Record<string, PropertyDef & { betaOnly?: boolean }>> = {
  fido2AuthenticationMethodConfiguration: {
    defaultPasskeyProfile: { type: { name: "Edm.String", collection: false }, nullable: true },
    passkeyProfiles: { type: { name: "passkeyProfile", collection: true }, nullable: true },
    includeTargets: {
      type: { name: "passkeyAuthenticationMethodTarget", collection: true },
      nullable: true,
    },
  },
  authenticationMethodsPolicy: {
    optOutSettings: {
      type: { name: "authenticationMethodsPolicyOptOutSettings", collection: false },
      nullable: true,
      betaOnly: true,
    },
  },
};
const PASSKEY_ENUMS = new Map([
  ["attestationEnforcement", ["disabled", "registrationOnly", "unknownFutureValue"]],
]);

// --- Readers ------------------------------------------------------------------------------------

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

function csdlTypeRef(type: string): TypeRef {
  const m = /^Collection\((.*)\)$/.exec(type);
  const inner = m ? m[1] : type;
  return { name: inner.replace(/^(graph|microsoft\.graph)\./, ""), collection: !!m };
}

/** EnumType, ComplexType and EntityType elements of a CSDL document. */
function readCsdl(xml: string): {
  types: Map<string, StructuredType>;
  enums: Map<string, string[]>;
} {
  const types = new Map<string, StructuredType>();
  const enums = new Map<string, string[]>();
  for (const m of xml.matchAll(/<EnumType\b([^>]*)>([\s\S]*?)<\/EnumType>/g)) {
    const members = [...m[2].matchAll(/<Member\b([^>]*)\/>/g)].map((x) => attributes(x[1]).Name);
    enums.set(attributes(m[1]).Name, members);
  }
  for (const m of xml.matchAll(/<(EntityType|ComplexType)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g)) {
    const attrs = attributes(m[2]);
    const properties = new Map<string, PropertyDef>();
    for (const p of (m[4] ?? "").matchAll(/<(Property|NavigationProperty)\b([^>]*?)\/?>/g)) {
      const a = attributes(p[2]);
      properties.set(a.Name, { type: csdlTypeRef(a.Type), nullable: a.Nullable !== "false" });
    }
    types.set(attrs.Name, {
      name: attrs.Name,
      base: attrs.BaseType?.replace(/^(graph|microsoft\.graph)\./, ""),
      open: attrs.OpenType === "true",
      properties,
    });
  }
  return { types, enums };
}

const camel = (pascal: string) => pascal[0].toLowerCase() + pascal.slice(1);

function tsTypeRef(text: string): TypeRef {
  let t = text.trim();
  const nullable = /^NullableOption<(.*)>$/.exec(t);
  if (nullable) t = nullable[1];
  const collection = t.endsWith("[]");
  if (collection) t = t.slice(0, -2);
  const primitive: Record<string, string> = {
    string: "Edm.String",
    boolean: "Edm.Boolean",
    number: "Edm.Double",
  };
  return { name: primitive[t] ?? (/^[A-Z]\w*$/.test(t) ? camel(t) : ""), collection };
}

/** Interfaces and string-literal unions of microsoft-graph-types' declaration file. */
function readGraphTypes(dts: string): {
  types: Map<string, StructuredType>;
  enums: Map<string, string[]>;
} {
  const types = new Map<string, StructuredType>();
  const enums = new Map<string, string[]>();
  const text = dts.replace(/\r\n/g, "\n");
  for (const m of text.matchAll(
    /^export interface (\w+)(?: extends (\w+))? \{(\}|[\s\S]*?^\})/gm,
  )) {
    const properties = new Map<string, PropertyDef>();
    for (const p of m[3].matchAll(/^\s+"?([\w@.]+)"?\??: (.+);$/gm)) {
      properties.set(p[1], { type: tsTypeRef(p[2]), nullable: true });
    }
    const name = camel(m[1]);
    types.set(name, { name, base: m[2] ? camel(m[2]) : undefined, open: false, properties });
  }
  for (const m of text.matchAll(/^export type (\w+) =([^;]*);/gm)) {
    const parts = m[2]
      .split("|")
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length && parts.every((p) => /^"[^"]*"$/.test(p)))
      enums.set(
        camel(m[1]),
        parts.map((p) => p.slice(1, -1)),
      );
  }
  return { types, enums };
}

interface BetaProperties {
  types: Record<string, string[] | { properties: string[]; navigationProperties: string[] }>;
}

// --- The validator ------------------------------------------------------------------------------

export class GraphSchema {
  private readonly csdl = readCsdl(
    readFileSync(path.join(FIXTURES, "v1.0-subset.csdl.xml"), "utf8"),
  );
  private readonly generated = readGraphTypes(readFileSync(GRAPH_TYPES, "utf8"));
  private readonly beta = (
    JSON.parse(readFileSync(path.join(FIXTURES, "beta-properties.json"), "utf8")) as BetaProperties
  ).types;

  /** A structured type as the version defines it, with its base and the 2026 additions. */
  private structured(name: string, version: SchemaVersion): StructuredType | undefined {
    const added = PASSKEY_TYPES.find((t) => t.name === name);
    if (added) return added;
    const type = this.published(name, version);
    const extra = Object.entries(PASSKEY_PROPERTIES[name] ?? {}).filter(
      ([, p]) => version === "beta" || !p.betaOnly,
    );
    if (!type || extra.length === 0) return type;
    return { ...type, properties: new Map([...type.properties, ...extra]) };
  }

  /** A structured type as the version's metadata defines it, with its base, or undefined. */
  private published(name: string, version: SchemaVersion): StructuredType | undefined {
    const v1 = this.csdl.types.get(name) ?? this.generated.types.get(name);
    if (version === "v1.0") return v1;
    const listed = this.beta[name];
    if (listed && !Array.isArray(listed)) {
      const properties = new Map<string, PropertyDef>();
      for (const p of [...listed.properties, ...listed.navigationProperties]) {
        const known = v1?.properties.get(p);
        const type = known?.type ??
          BETA_PROPERTY_TYPES[name]?.[p] ?? { name: "", collection: false };
        properties.set(p, { type, nullable: known?.nullable ?? true });
      }
      return { name, base: v1?.base, open: v1?.open ?? false, properties };
    }
    return BETA_TYPES.find((t) => t.name === name) ?? v1;
  }

  private enumMembers(name: string, version: SchemaVersion): string[] | undefined {
    const added = PASSKEY_ENUMS.get(name);
    if (added) return added;
    if (version === "beta") {
      const listed = this.beta[name];
      if (Array.isArray(listed)) return listed;
      const betaOnly = BETA_ENUMS.get(name);
      if (betaOnly) return betaOnly;
    }
    return this.csdl.enums.get(name) ?? this.generated.enums.get(name);
  }

  /** Whether the version knows the type at all. */
  knows(name: string, version: SchemaVersion): boolean {
    return !!this.structured(name, version) || !!this.enumMembers(name, version);
  }

  /** The property (own or inherited) of a structured type, or undefined. */
  property(typeName: string, property: string, version: SchemaVersion): PropertyDef | undefined {
    for (
      let t = this.structured(typeName, version);
      t;
      t = t.base ? this.structured(t.base, version) : undefined
    ) {
      const p = t.properties.get(property);
      if (p) return p;
    }
    return undefined;
  }

  private isOpen(typeName: string, version: SchemaVersion): boolean {
    for (
      let t = this.structured(typeName, version);
      t;
      t = t.base ? this.structured(t.base, version) : undefined
    ) {
      if (t.open) return true;
    }
    return false;
  }

  private derivesFrom(typeName: string, base: string, version: SchemaVersion): boolean {
    for (
      let t = this.structured(typeName, version);
      t;
      t = t.base ? this.structured(t.base, version) : undefined
    ) {
      if (t.name === base) return true;
    }
    return false;
  }

  /** Every problem with `value` as an instance of `typeName` in `version`, each with its JSON path. */
  validate(value: unknown, typeName: string, version: SchemaVersion, at = "$"): string[] {
    const problems: string[] = [];
    this.check(value, { name: typeName, collection: false }, version, at, problems, undefined);
    return problems;
  }

  /** A response body: a collection (`value` array) or a single instance of `typeName`. */
  validateResponse(body: unknown, typeName: string, version: SchemaVersion): string[] {
    if (body && typeof body === "object" && Array.isArray((body as { value?: unknown }).value)) {
      const problems: string[] = [];
      for (const [key, v] of Object.entries(body as Record<string, unknown>)) {
        if (key !== "value" && !key.startsWith("@"))
          problems.push(`$.${key}: not a collection property`);
        if (key === "@odata.count" && typeof v !== "number")
          problems.push("$.@odata.count: not a number");
      }
      (body as { value: unknown[] }).value.forEach((item, i) =>
        problems.push(...this.validate(item, typeName, version, `$.value[${i}]`)),
      );
      return problems;
    }
    return this.validate(body, typeName, version);
  }

  private check(
    value: unknown,
    type: TypeRef,
    version: SchemaVersion,
    at: string,
    problems: string[],
    owner: { type: string; property: string } | undefined,
  ): void {
    if (value === null || value === undefined) return;
    if (type.collection) {
      if (!Array.isArray(value)) return void problems.push(`${at}: expected a collection`);
      value.forEach((v, i) => {
        if (v === null) problems.push(`${at}[${i}]: null in a collection`);
        else this.check(v, { ...type, collection: false }, version, `${at}[${i}]`, problems, owner);
      });
      return;
    }
    const name = type.name;
    if (name === "") return; // a type no source describes: names were checked, content cannot be
    if (name.startsWith("Edm.")) return this.checkPrimitive(value, name, at, problems);
    const members = this.enumMembers(name, version);
    if (members) {
      const allowed = owner && ALLOWANCES.enumValues.get(`${owner.type}.${owner.property}`);
      if (typeof value !== "string") problems.push(`${at}: expected a member of ${name}`);
      else if (!members.includes(value) && !allowed?.has(value))
        problems.push(`${at}: '${value}' is not a member of ${name} in ${version}`);
      return;
    }
    if (typeof value !== "object" || Array.isArray(value))
      return void problems.push(`${at}: expected an object of ${name}`);
    const record = value as Record<string, unknown>;
    let actual = name;
    const odataType = record["@odata.type"];
    if (typeof odataType === "string") {
      actual = odataType.replace(/^#?microsoft\.graph\./, "");
      if (!this.structured(actual, version))
        return void problems.push(`${at}: @odata.type ${odataType} is unknown in ${version}`);
      if (!this.derivesFrom(actual, name, version))
        problems.push(`${at}: ${actual} does not derive from ${name}`);
    }
    if (!this.structured(actual, version))
      return void problems.push(`${at}: type ${actual} is unknown in ${version}`);
    for (const [key, v] of Object.entries(record)) {
      if (key.startsWith("@")) continue;
      const propertyName = key.includes("@") ? key.slice(0, key.indexOf("@")) : key;
      const def = this.property(actual, propertyName, version);
      if (!def) {
        const allowed = ALLOWANCES.openProperties.get(actual);
        if (!(this.isOpen(actual, version) && allowed?.has(propertyName)))
          problems.push(
            `${at}.${key}: '${propertyName}' is not a property of ${actual} in ${version}`,
          );
        continue;
      }
      if (key !== propertyName) continue; // an annotation of an existing property
      if (v === null && !def.nullable)
        problems.push(`${at}.${key}: null, but ${actual}.${key} is not nullable`);
      this.check(v, def.type, version, `${at}.${key}`, problems, { type: actual, property: key });
    }
  }

  private checkPrimitive(value: unknown, edm: string, at: string, problems: string[]): void {
    switch (edm) {
      case "Edm.String":
      case "Edm.Guid":
        if (typeof value !== "string")
          problems.push(`${at}: expected ${edm}, found ${JSON.stringify(value)}`);
        return;
      case "Edm.Boolean":
        if (typeof value !== "boolean")
          problems.push(`${at}: expected ${edm}, found ${JSON.stringify(value)}`);
        return;
      case "Edm.Int32":
      case "Edm.Int64":
        if (!Number.isInteger(value))
          problems.push(`${at}: expected ${edm}, found ${JSON.stringify(value)}`);
        return;
      case "Edm.Double":
        if (typeof value !== "number")
          problems.push(`${at}: expected a number, found ${JSON.stringify(value)}`);
        return;
      case "Edm.DateTimeOffset":
        if (typeof value !== "string" || Number.isNaN(Date.parse(value)))
          problems.push(`${at}: expected an ISO 8601 date-time, found ${JSON.stringify(value)}`);
        return;
      default:
        return;
    }
  }
}

let shared: GraphSchema | undefined;

/** The validator, built once per test process. */
export function graphSchema(): GraphSchema {
  return (shared ??= new GraphSchema());
}
