// OData literals and keys. Values are escaped here and URL-encoded by the client, so a name with
// a quote, '#', '%' or '/' can never change the meaning of a filter or a path.

/** An OData string literal: single quotes doubled (graph-contract.md §4.2). */
export function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A path segment for a key such as a UPN; '/' '#' '%' '?' are percent-encoded. */
export function keySegment(value: string): string {
  return encodeURIComponent(value);
}
