// A validator for the subset of OpenAPI v3 (JSON Schema) that Kubernetes CustomResourceDefinitions
// use in their structural `openAPIV3Schema`: type, properties, required, items, enum,
// additionalProperties, anyOf, pattern, minLength, maxLength, minimum, and the Kubernetes
// extensions x-kubernetes-preserve-unknown-fields and x-kubernetes-int-or-string. As with the API
// server's strict field validation (kubectl's default), a field the schema does not declare is an
// error unless the object preserves unknown fields. CEL rules (x-kubernetes-validations) are not
// evaluated here: a test checks the ones it relies on itself.

export interface CrdSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, CrdSchema>;
  required?: string[];
  items?: CrdSchema;
  enum?: unknown[];
  additionalProperties?: boolean | CrdSchema;
  anyOf?: CrdSchema[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: CrdSchema["type"]): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** Every violation of `schema` by `value`, each as "path: what is wrong"; empty when valid. */
export function validate(value: unknown, schema: CrdSchema, path = "$"): string[] {
  if (schema["x-kubernetes-int-or-string"]) {
    return ["integer", "string"].includes(typeOf(value))
      ? []
      : [`${path}: expected an integer or a string, got ${typeOf(value)}`];
  }
  if (schema.anyOf && !schema.anyOf.some((option) => validate(value, option, path).length === 0)) {
    return [`${path}: matches none of the allowed forms`];
  }
  if (schema.type !== undefined && !matchesType(value, schema.type)) {
    return [`${path}: expected ${schema.type}, got ${typeOf(value)}`];
  }
  const errors: string[] = [];
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === "string") {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
      errors.push(`${path}: does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) {
    errors.push(`${path}: less than ${schema.minimum}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) => {
      errors.push(...validate(item, schema.items as CrdSchema, `${path}[${index}]`));
    });
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!(name in object)) errors.push(`${path}: missing required field "${name}"`);
    }
    for (const [name, child] of Object.entries(object)) {
      const childPath = `${path}.${name}`;
      const declared = schema.properties?.[name];
      if (declared) errors.push(...validate(child, declared, childPath));
      else if (typeof schema.additionalProperties === "object")
        errors.push(...validate(child, schema.additionalProperties, childPath));
      else if (
        schema.additionalProperties !== true &&
        !schema["x-kubernetes-preserve-unknown-fields"]
      )
        errors.push(`${childPath}: unknown field`);
    }
  }
  return errors;
}
