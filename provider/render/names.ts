// Display names for the object ids a report mentions, so that reviewers read "Emergency Access
// Accounts" next to 6dbc0cdd-…. Groups and users are looked up once each, through the typed Graph
// calls (read permissions only: GroupMember.Read.All, User.Read.All).
import { getGroups, getUsers, type GraphClient } from "../graph";
import { isGuid, isRecord, type JsonValue, type PropertyChange } from "../model";

export type ObjectType = "group" | "user";

/** What kind of object each id is, learned from the targets and members of the settings. */
export type ObjectTypes = Map<string, ObjectType>;

/** Records the object type of every target id and member/owner id found in a settings value. */
export function collectObjectTypes(value: unknown, types: ObjectTypes, list?: string): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      // Members and owners are users (the only principals a PilotGroup takes by name or id).
      if (typeof item === "string" && (list === "members" || list === "owners") && isGuid(item)) {
        types.set(item.toLowerCase(), "user");
      } else {
        collectObjectTypes(item, types);
      }
    }
    return;
  }
  if (!isRecord(value)) return;
  if (typeof value.id === "string" && isGuid(value.id)) {
    if (value.targetType === "group" || value.targetType === "user") {
      types.set(value.id.toLowerCase(), value.targetType);
    }
  }
  for (const [key, child] of Object.entries(value)) collectObjectTypes(child, types, key);
}

/** Every GUID a change mentions, in its path or its values. */
export function idsInChange(change: PropertyChange): string[] {
  const ids = new Set<string>();
  const add = (text: string) => {
    for (const match of text.matchAll(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
    )) {
      ids.add(match[0].toLowerCase());
    }
  };
  const walk = (value: JsonValue) => {
    if (typeof value === "string") add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
  };
  add(change.property);
  walk(change.declared);
  walk(change.actual);
  return [...ids];
}

/**
 * Looks up the display names of the given ids whose type is known. Objects that no longer exist
 * are left out (reports then show the bare id); any other failure is thrown, never hidden.
 */
export async function lookUpNames(
  graph: GraphClient,
  ids: Iterable<string>,
  types: ObjectTypes,
  known: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, string>> {
  const names = new Map(known);
  const wanted = [...new Set(ids)].filter((id) => !names.has(id));
  const groups = wanted.filter((id) => types.get(id) === "group");
  const users = wanted.filter((id) => types.get(id) === "user");
  if (groups.length > 0) {
    for (const [id, group] of await getGroups(graph, groups)) {
      if (group.displayName) names.set(id, group.displayName);
    }
  }
  if (users.length > 0) {
    for (const [id, user] of await getUsers(graph, users)) {
      const name = user.displayName ?? user.userPrincipalName;
      if (name) names.set(id.toLowerCase(), name);
    }
  }
  return names;
}
