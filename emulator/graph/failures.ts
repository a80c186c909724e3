// The Graph errors the handlers raise, with the codes and texts real responses carry
// (graph-contract.md §7.2 unless marked). One place, so a text is never spelled two ways.
import { GraphHttpError } from "../errors";

export function notFound(id: string): GraphHttpError {
  // §4.2, §4.4: the same text for a missing group, member or user.
  return new GraphHttpError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function accessDenied(code: "Authorization_RequestDenied" | "accessDenied"): GraphHttpError {
  if (code === "accessDenied") {
    // §7.2: policy-type endpoints have been seen answering this shape instead.
    return new GraphHttpError(403, "accessDenied", "Request Authorization failed", {
      innerMessage: "Request Authorization failed",
    });
  }
  return new GraphHttpError(
    403,
    "Authorization_RequestDenied",
    "Insufficient privileges to complete the operation.",
  );
}

export function methodNotAllowed(): GraphHttpError {
  return new GraphHttpError(
    405,
    "Request_BadRequest",
    "Specified HTTP method is not allowed for the request target.",
  );
}

/** An unknown URL segment: OData's routing error (inferred; the contract has no text for it). */
export function segmentNotFound(segment: string): GraphHttpError {
  return new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${segment}'.`);
}

export function badRequest(message: string, code = "Request_BadRequest"): GraphHttpError {
  return new GraphHttpError(400, code, message);
}

export function unsupportedQuery(message: string): GraphHttpError {
  return new GraphHttpError(400, "Request_UnsupportedQuery", message);
}

/** OData's deserialisation error for a body property the type lacks (in this version). */
export function unknownBodyProperty(property: string, type: string): GraphHttpError {
  return badRequest(
    `The property '${property}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    "BadRequest",
  );
}

/** OData's error for a $select, $filter or $orderby naming a property the type lacks. */
export function unknownQueryProperty(property: string, type: string): GraphHttpError {
  return badRequest(
    `Could not find a property named '${property}' on type 'microsoft.graph.${type}'.`,
    "BadRequest",
  );
}

export function countNotSupported(): GraphHttpError {
  return badRequest("$count is not currently supported."); // §4.6
}

export function searchNeedsConsistencyLevel(): GraphHttpError {
  return unsupportedQuery(
    "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
  ); // §4.6
}

export function operatorNeedsAdvancedQuery(operator: string): GraphHttpError {
  // §4.6 gives this text for endsWith; the service words the other advanced operators alike.
  return unsupportedQuery(
    `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}

export function unsupportedFilterClause(property: string, resource: string): GraphHttpError {
  return unsupportedQuery(
    `Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`,
  ); // §4.6
}

/**
 * Nested query options inside `$expand` on a directory object's relationships. Known issue 13635
 * (developer.microsoft.com/graph/known-issues/?search=13635: "No support for nesting other query
 * parameters such as $filter and $select inside an $expand query"); the text is the one observed
 * for `owners($select=...)` (microsoftgraph/microsoft-graph-docs#12838). Graph-contract Errata 1.
 */
export function nestedExpandOptions(): GraphHttpError {
  return badRequest("Invalid $select properties.");
}

/**
 * An OData cast on transitive members without the advanced-query parameters (Errata 2:
 * group-list-transitivemembers.md and aad-advanced-queries.md require `ConsistencyLevel: eventual`
 * and `$count=true`). The text is the one observed for casts on transitive relationships sent
 * without them (microsoftgraph/microsoft-graph-docs#11242, #12152) [inferred for the bare cast].
 */
export function castNeedsAdvancedQuery(): GraphHttpError {
  return unsupportedQuery(
    "The specified filter to the reference property query is currently not supported.",
  );
}

export function expiredPageToken(): GraphHttpError {
  // Directory's answer to a $skiptoken it cannot use (inferred; not in the contract).
  return badRequest(
    "The specified page token value has expired and can no longer be included in your request.",
    "Directory_ExpiredPageToken",
  );
}

export function invalidPageSize(value: string, max: number): GraphHttpError {
  return badRequest(
    `Invalid page size specified: '${value}'. Must be between 1 and ${max} inclusive.`,
    "Request_UnsupportedQuery",
  ); // §0.4 gives the 1–999 range; the text is inferred.
}

export function nonPremiumTenant(): GraphHttpError {
  return new GraphHttpError(
    403,
    "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
    "Neither tenant is B2C or tenant doesn't have premium license",
  ); // §5.2
}

/**
 * More values in one filter than a directory query allows outside advanced queries: "the in
 * operator is limited to 15 values" (learn.microsoft.com/graph/filter-query-parameter); Graph's
 * text as reported in microsoftgraph/microsoft-graph-docs#21098 (its error code is inferred).
 */
export function tooManyFilterClauses(count: number, max: number): GraphHttpError {
  return unsupportedQuery(
    `Too many child clauses specified in search filter expression containing 'OR' operators: ${count}. Max allowed: ${max}`,
  );
}

/**
 * A query option the API's page does not list (OData's validation text; inferred: no capture of
 * Graph's own text for these endpoints).
 */
export function queryOptionNotAllowed(option: string): GraphHttpError {
  const name = option.replace(/^\$/, "");
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  return badRequest(
    `Query option '${pascal}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
    "BadRequest",
  );
}
