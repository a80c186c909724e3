// The OData $filter subset Graph's directory, report and audit endpoints accept: comparisons,
// `in`, and/or/not, startsWith/endsWith, and any() lambdas over collections, with OData literals
// ('' escapes a quote inside a string; date-times are unquoted). Parsing is separate from the
// per-resource rules (which property supports which operator), which live in FilterRules.
import { GraphHttpError } from "../../errors";
import {
  badRequest,
  operatorNeedsAdvancedQuery,
  tooManyFilterClauses,
  unknownQueryProperty,
  unsupportedFilterClause,
} from "../failures";

export type Literal =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "datetime"; value: number; text: string }
  | { kind: "guid"; value: string };

export type ComparisonOperator = "eq" | "ne" | "gt" | "ge" | "lt" | "le";

export type Operand = { kind: "property"; path: string[] } | { kind: "literal"; literal: Literal };

export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "compare"; op: ComparisonOperator; left: Operand; right: Operand }
  | { kind: "in"; left: Operand; values: Literal[] }
  | { kind: "function"; name: "startswith" | "endswith" | "contains"; args: Operand[] }
  | { kind: "any"; path: string[]; variable?: string; predicate?: FilterNode };

type Token =
  | { kind: "punct"; value: "(" | ")" | "," | ":" | "/"; at: number }
  | { kind: "word"; value: string; at: number }
  | { kind: "literal"; literal: Literal; at: number };

const KEYWORDS = new Set(["eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "in"]);
const FUNCTIONS = new Set(["startswith", "endswith", "contains"]);
const DATETIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function syntaxError(text: string, at: number, detail: string): GraphHttpError {
  // OData's parser error, prefixed the way Graph reports a bad $filter (inferred wording).
  return badRequest(
    `Invalid filter clause: Syntax error at position ${at} in '${text}'. ${detail}`,
    "BadRequest",
  );
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if ("(),:/".includes(c)) {
      tokens.push({ kind: "punct", value: c as "(" | ")" | "," | ":" | "/", at: i });
      i++;
    } else if (c === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw syntaxError(text, start, "Unterminated string literal.");
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: "literal", literal: { kind: "string", value }, at: start });
    } else if (/[0-9-]/.test(c)) {
      const start = i;
      while (i < text.length && /[0-9A-Za-z:.+\-]/.test(text[i])) i++;
      const word = text.slice(start, i);
      let literal: Literal;
      if (/^-?\d+(?:\.\d+)?$/.test(word)) literal = { kind: "number", value: Number(word) };
      else if (DATETIME.test(word) && !Number.isNaN(Date.parse(word)))
        literal = { kind: "datetime", value: Date.parse(word), text: word };
      else if (GUID.test(word)) literal = { kind: "guid", value: word };
      else throw syntaxError(text, start, `Unrecognized literal '${word}'.`);
      tokens.push({ kind: "literal", literal, at: start });
    } else if (/[A-Za-z_$@]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_.$@]/.test(text[i])) i++;
      const word = text.slice(start, i);
      const lower = word.toLowerCase();
      if (lower === "true" || lower === "false")
        tokens.push({
          kind: "literal",
          literal: { kind: "boolean", value: lower === "true" },
          at: start,
        });
      else if (lower === "null")
        tokens.push({ kind: "literal", literal: { kind: "null" }, at: start });
      else if (GUID.test(word))
        tokens.push({ kind: "literal", literal: { kind: "guid", value: word }, at: start });
      else tokens.push({ kind: "word", value: word, at: start });
    } else {
      throw syntaxError(text, i, `Unexpected character '${c}'.`);
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): FilterNode {
    const node = this.parseOr();
    if (this.pos < this.tokens.length) this.fail("Unexpected token.");
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private fail(detail: string): never {
    const at = this.peek()?.at ?? this.text.length;
    throw syntaxError(this.text, at, detail);
  }

  private keyword(): string | undefined {
    const t = this.peek();
    if (t?.kind !== "word") return undefined;
    const lower = t.value.toLowerCase();
    return KEYWORDS.has(lower) ? lower : undefined;
  }

  private punct(value: string): boolean {
    const t = this.peek();
    if (t?.kind === "punct" && t.value === value) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(value: string): void {
    if (!this.punct(value)) this.fail(`Expected '${value}'.`);
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.keyword() === "or") {
      this.pos++;
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.keyword() === "and") {
      this.pos++;
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.keyword() === "not") {
      this.pos++;
      return { kind: "not", operand: this.parseUnary() };
    }
    return this.parsePredicate();
  }

  private parsePredicate(): FilterNode {
    if (this.punct("(")) {
      const inner = this.parseOr();
      this.expect(")");
      return inner;
    }
    const predicate = this.parseBooleanTerm();
    if (predicate) return predicate;
    const left = this.parseOperand();
    const op = this.keyword();
    if (op === "in") {
      this.pos++;
      this.expect("(");
      const values: Literal[] = [];
      do {
        const t = this.peek();
        if (t?.kind !== "literal") this.fail("Expected a literal in the 'in' list.");
        values.push(t.literal);
        this.pos++;
      } while (this.punct(","));
      this.expect(")");
      return { kind: "in", left, values };
    }
    if (op && op !== "and" && op !== "or" && op !== "not") {
      this.pos++;
      return { kind: "compare", op: op as ComparisonOperator, left, right: this.parseOperand() };
    }
    return this.fail("Expected a comparison operator.");
  }

  /** A function call or a lambda: the terms that are boolean on their own. */
  private parseBooleanTerm(): FilterNode | undefined {
    const t = this.peek();
    const next = this.tokens[this.pos + 1];
    if (t?.kind !== "word") return undefined;
    if (FUNCTIONS.has(t.value.toLowerCase()) && next?.kind === "punct" && next.value === "(") {
      this.pos += 2;
      const args: Operand[] = [this.parseOperand()];
      while (this.punct(",")) args.push(this.parseOperand());
      this.expect(")");
      return { kind: "function", name: t.value.toLowerCase() as "startswith", args };
    }
    const start = this.pos;
    const path = this.parsePath();
    const last = path[path.length - 1]?.toLowerCase();
    if ((last === "any" || last === "all") && path.length > 1 && this.punct("(")) {
      if (last === "all") this.fail("The 'all' operator is not supported.");
      if (this.punct(")")) return { kind: "any", path: path.slice(0, -1) };
      const variable = this.peek();
      if (variable?.kind !== "word") this.fail("Expected a lambda variable.");
      this.pos++;
      this.expect(":");
      const predicate = this.parseOr();
      this.expect(")");
      return { kind: "any", path: path.slice(0, -1), variable: variable.value, predicate };
    }
    this.pos = start;
    return undefined;
  }

  private parsePath(): string[] {
    const path: string[] = [];
    do {
      const t = this.peek();
      if (t?.kind !== "word") this.fail("Expected a property name.");
      path.push(t.value);
      this.pos++;
    } while (this.punct("/"));
    return path;
  }

  private parseOperand(): Operand {
    const t = this.peek();
    if (t?.kind === "literal") {
      this.pos++;
      return { kind: "literal", literal: t.literal };
    }
    if (t?.kind === "word" && !KEYWORDS.has(t.value.toLowerCase())) {
      return { kind: "property", path: this.parsePath() };
    }
    return this.fail("Expected a property or a literal.");
  }
}

export function parseFilter(text: string): FilterNode {
  return new Parser(text, tokenize(text)).parse();
}

// --- Rules: which properties and operators a resource accepts -----------------------------------

export type FilterType =
  "string" | "boolean" | "datetime" | "number" | "enum" | "strings" | "objects";

export interface FilterProperty {
  type: FilterType;
  /** Operators accepted by default: eq ne gt ge lt le in startsWith endsWith not any. */
  ops: string[];
  /** Further operators accepted only as an advanced query (ConsistencyLevel + $count, §4.6). */
  advancedOps?: string[];
}

export interface FilterRules {
  /** Graph's type name for unknown-property errors, e.g. "group". */
  typeName: string;
  /** The resource name in "Unsupported ... of resource 'Group'" errors. */
  resourceName: string;
  /** Keyed by the property path joined with "/" (lambda members as "collection/member"). */
  properties: Record<string, FilterProperty>;
  /**
   * The most values one `in` (or one chain of `or`) may hold outside advanced queries: 15 on
   * directory objects (learn.microsoft.com/graph/filter-query-parameter). Unlimited when absent.
   */
  maxDisjuncts?: number;
}

/** How many alternatives an `or` chain or an `in` list holds (the service counts both as ORs). */
function disjuncts(n: FilterNode): number {
  if (n.kind === "or") return disjuncts(n.left) + disjuncts(n.right);
  if (n.kind === "in") return n.values.length;
  return 1;
}

const OPERATOR_KIND: Record<ComparisonOperator, string> = {
  eq: "Equal",
  ne: "NotEqual",
  gt: "GreaterThan",
  ge: "GreaterThanOrEqual",
  lt: "LessThan",
  le: "LessThanOrEqual",
};

const EDM_OF_TYPE: Record<FilterType, string> = {
  string: "Edm.String",
  enum: "Edm.String",
  boolean: "Edm.Boolean",
  datetime: "Edm.DateTimeOffset",
  number: "Edm.Int32",
  strings: "Edm.String",
  objects: "Edm.ComplexType",
};

function edmOfLiteral(literal: Literal): string | undefined {
  switch (literal.kind) {
    case "string":
      return "Edm.String";
    case "guid":
      return "Edm.Guid";
    case "boolean":
      return "Edm.Boolean";
    case "number":
      return "Edm.Int32";
    case "datetime":
      return "Edm.DateTimeOffset";
    case "null":
      return undefined;
  }
}

function compatible(type: FilterType, literal: Literal): boolean {
  switch (literal.kind) {
    case "null":
      return true;
    case "string":
    case "guid":
      return type === "string" || type === "enum" || type === "strings";
    case "boolean":
      return type === "boolean";
    case "number":
      return type === "number";
    case "datetime":
      return type === "datetime";
  }
}

/**
 * Checks a parsed filter against a resource's rules, raising the errors Graph raises: an unknown
 * property, an operator the property does not support, an advanced operator without the advanced
 * query headers, or a literal of the wrong type.
 */
export function checkFilter(node: FilterNode, rules: FilterRules, advanced: boolean): void {
  const lambdas = new Map<string, string[]>();
  const max = rules.maxDisjuncts;
  if (max !== undefined && !advanced) {
    const widest = (n: FilterNode): number =>
      n.kind === "and"
        ? Math.max(widest(n.left), widest(n.right))
        : n.kind === "not"
          ? widest(n.operand)
          : disjuncts(n);
    const count = widest(node);
    if (count > max) throw tooManyFilterClauses(count, max);
  }

  const resolve = (path: string[]): { key: string; rule: FilterProperty } => {
    const bound = lambdas.get(path[0]);
    const full = bound ? [...bound, ...path.slice(1)] : path;
    const key = full.join("/");
    const rule =
      rules.properties[key] ??
      Object.entries(rules.properties).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    if (!rule) throw unknownQueryProperty(full[full.length - 1], rules.typeName);
    // Inside a lambda over a collection of strings, the variable itself is the element.
    if (bound && path.length === 1)
      return { key, rule: { ...rule, type: "string", ops: ["eq", "in", "startsWith"] } };
    return { key, rule };
  };

  const allow = (key: string, rule: FilterProperty, op: string): void => {
    const has = (list: string[] | undefined) =>
      list?.some((o) => o.toLowerCase() === op.toLowerCase()) ?? false;
    if (has(rule.ops)) return;
    if (has(rule.advancedOps)) {
      if (advanced) return;
      // §4.6: a property filterable only in advanced queries is "unsupported"; an advanced
      // operator on an ordinary property names the operator.
      if (rule.ops.length === 0)
        throw unsupportedFilterClause(key.split("/").pop() ?? key, rules.resourceName);
      throw operatorNeedsAdvancedQuery(op);
    }
    throw unsupportedFilterClause(key.split("/").pop() ?? key, rules.resourceName);
  };

  const property = (operand: Operand): { key: string; rule: FilterProperty } | undefined =>
    operand.kind === "property" ? resolve(operand.path) : undefined;

  const visit = (n: FilterNode): void => {
    switch (n.kind) {
      case "and":
      case "or":
        visit(n.left);
        visit(n.right);
        return;
      case "not": {
        // `not` applies to the property of the clause it wraps.
        const inner = n.operand;
        const target =
          inner.kind === "compare" || inner.kind === "in"
            ? property(inner.left)
            : inner.kind === "function"
              ? property(inner.args[0])
              : inner.kind === "any"
                ? resolve(inner.path)
                : undefined;
        if (target) allow(target.key, target.rule, "not");
        visit(inner);
        return;
      }
      case "compare": {
        const left = property(n.left);
        const right = n.right.kind === "literal" ? n.right.literal : undefined;
        if (!left || !right)
          throw badRequest(
            "Invalid filter clause: comparisons need a property and a literal.",
            "BadRequest",
          );
        allow(left.key, left.rule, n.op);
        if (!compatible(left.rule.type, right)) {
          throw badRequest(
            `A binary operator with incompatible types was detected. Found operand types '${EDM_OF_TYPE[left.rule.type]}' and '${edmOfLiteral(right)}' for operator kind '${OPERATOR_KIND[n.op]}'.`,
            "BadRequest",
          );
        }
        return;
      }
      case "in": {
        const left = property(n.left);
        if (!left) throw badRequest("Invalid filter clause: 'in' needs a property.", "BadRequest");
        allow(left.key, left.rule, "in");
        for (const v of n.values) {
          if (!compatible(left.rule.type, v)) {
            throw badRequest(
              `A binary operator with incompatible types was detected. Found operand types '${EDM_OF_TYPE[left.rule.type]}' and '${edmOfLiteral(v)}' for operator kind 'Equal'.`,
              "BadRequest",
            );
          }
        }
        return;
      }
      case "function": {
        const name =
          n.name === "startswith" ? "startsWith" : n.name === "endswith" ? "endsWith" : "contains";
        const target = property(n.args[0]);
        const literal = n.args[1]?.kind === "literal" ? n.args[1].literal : undefined;
        if (!target || !literal || literal.kind !== "string" || n.args.length !== 2)
          throw badRequest(
            `Invalid filter clause: ${name} needs a property and a string.`,
            "BadRequest",
          );
        allow(target.key, target.rule, name);
        return;
      }
      case "any": {
        const target = resolve(n.path);
        allow(target.key, target.rule, "any");
        if (n.variable && n.predicate) {
          lambdas.set(n.variable, n.path);
          visit(n.predicate);
          lambdas.delete(n.variable);
        }
        return;
      }
    }
  };
  visit(node);
}

// --- Evaluation ---------------------------------------------------------------------------------

/** Reads a property path from an entity (a record or a lambda element). */
export type Accessor = (entity: unknown, path: string[]) => unknown;

/** Property access on plain JSON objects, matching names case-insensitively as OData does. */
export function jsonAccessor(entity: unknown, path: string[]): unknown {
  let value: unknown = entity;
  for (const name of path) {
    if (value === null || typeof value !== "object") return undefined;
    const record = value as Record<string, unknown>;
    if (name in record) {
      value = record[name];
    } else {
      const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
      value = key === undefined ? undefined : record[key];
    }
  }
  return value;
}

function literalValue(literal: Literal): unknown {
  return literal.kind === "null" ? null : literal.value;
}

function normalize(value: unknown, literal: Literal): unknown {
  if (literal.kind === "datetime" && typeof value === "string") return Date.parse(value);
  // Directory string comparisons are case-insensitive (userPrincipalName, displayName, ...).
  if (typeof value === "string") return value.toLowerCase();
  return value;
}

function compareValues(op: ComparisonOperator, value: unknown, literal: Literal): boolean {
  if (literal.kind === "null") {
    const isNull = value === null || value === undefined;
    return op === "eq" ? isNull : op === "ne" ? !isNull : false;
  }
  if (value === null || value === undefined) return op === "ne";
  const a = normalize(value, literal);
  const raw = literalValue(literal);
  const b = typeof raw === "string" ? raw.toLowerCase() : raw;
  switch (op) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "gt":
      return (a as number) > (b as number);
    case "ge":
      return (a as number) >= (b as number);
    case "lt":
      return (a as number) < (b as number);
    case "le":
      return (a as number) <= (b as number);
  }
}

/** Builds a predicate from a checked filter. */
export function compileFilter(node: FilterNode, access: Accessor): (entity: unknown) => boolean {
  const evaluate = (n: FilterNode, entity: unknown, scope: Map<string, unknown>): boolean => {
    const read = (operand: Operand): unknown => {
      if (operand.kind === "literal") return literalValue(operand.literal);
      const [head, ...rest] = operand.path;
      if (scope.has(head)) return rest.length ? access(scope.get(head), rest) : scope.get(head);
      return access(entity, operand.path);
    };
    switch (n.kind) {
      case "and":
        return evaluate(n.left, entity, scope) && evaluate(n.right, entity, scope);
      case "or":
        return evaluate(n.left, entity, scope) || evaluate(n.right, entity, scope);
      case "not":
        return !evaluate(n.operand, entity, scope);
      case "compare": {
        if (n.right.kind !== "literal") return false;
        return compareValues(n.op, read(n.left), n.right.literal);
      }
      case "in": {
        const value = read(n.left);
        return n.values.some((v) => compareValues("eq", value, v));
      }
      case "function": {
        const value = read(n.args[0]);
        const needle = n.args[1].kind === "literal" ? String(literalValue(n.args[1].literal)) : "";
        if (typeof value !== "string") return false;
        const hay = value.toLowerCase();
        const lower = needle.toLowerCase();
        if (n.name === "startswith") return hay.startsWith(lower);
        if (n.name === "endswith") return hay.endsWith(lower);
        return hay.includes(lower);
      }
      case "any": {
        const [head, ...rest] = n.path;
        const collection = scope.has(head) ? access(scope.get(head), rest) : access(entity, n.path);
        if (!Array.isArray(collection)) return false;
        if (!n.variable || !n.predicate) return collection.length > 0;
        const variable = n.variable;
        const predicate = n.predicate;
        return collection.some((element) =>
          evaluate(predicate, entity, new Map(scope).set(variable, element)),
        );
      }
    }
  };
  return (entity) => evaluate(node, entity, new Map());
}

/**
 * The values a filter pins a property to, when every match must have one of them: `p eq 'x'`,
 * `p in ('x', 'y')`, or an `and` with such a clause. Lets a handler answer from an index instead of
 * scanning. Undefined when the filter does not pin the property.
 */
export function pinnedValues(node: FilterNode, property: string): string[] | undefined {
  const isProperty = (o: Operand) =>
    o.kind === "property" &&
    o.path.length === 1 &&
    o.path[0].toLowerCase() === property.toLowerCase();
  const text = (l: Literal) => (l.kind === "string" || l.kind === "guid" ? l.value : undefined);
  switch (node.kind) {
    case "compare": {
      if (node.op !== "eq" || !isProperty(node.left) || node.right.kind !== "literal")
        return undefined;
      const v = text(node.right.literal);
      return v === undefined ? undefined : [v];
    }
    case "in": {
      if (!isProperty(node.left)) return undefined;
      const values = node.values.map(text);
      return values.every((v): v is string => v !== undefined) ? values : undefined;
    }
    case "and": {
      const l = pinnedValues(node.left, property);
      const r = pinnedValues(node.right, property);
      if (l && r) return l.length <= r.length ? l : r;
      return l ?? r;
    }
    case "or": {
      const l = pinnedValues(node.left, property);
      const r = pinnedValues(node.right, property);
      return l && r ? [...l, ...r] : undefined;
    }
    default:
      return undefined;
  }
}
