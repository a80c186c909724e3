// Who each target id of an exported declaration is, so that the generated program reads
// `// group "Emergency Access Accounts"` beside an object id. Groups and users are looked up in
// JSON batches with read permissions only (GroupMember.Read.All, User.Read.All). A name is a
// comment, never a setting: a group that no longer exists, or a lookup Graph refuses, is annotated
// as such and the export goes on.
import { getGroups, getUsers, GraphRequestError, type GraphClient } from "../graph";
import { ALL_USERS, NIL_GUID } from "../model";
import type { ExportedDeclaration } from "./declaration";

export type ObjectLabel =
  | { status: "found"; kind: "user" | "group"; displayName?: string; userPrincipalName?: string }
  | { status: "notFound"; kind: "user" | "group" }
  | { status: "notRead"; kind: "user" | "group"; reason: string };

/** Labels by lower-case object id, for the groups and users the declaration names. */
export type ObjectLabels = ReadonlyMap<string, ObjectLabel>;

interface TargetRef {
  id: string;
  targetType: string;
}

/** Every target the declaration names (feature-setting targets included). */
export function targetsOf(declaration: ExportedDeclaration): TargetRef[] {
  const { campaign, authenticator, passkey } = declaration;
  const features = Object.values(authenticator.featureSettings ?? {}).flatMap((setting) =>
    setting ? [setting.includeTarget, setting.excludeTarget] : [],
  );
  return [
    ...(campaign.includeTargets ?? []),
    ...(campaign.excludeTargets ?? []),
    ...(authenticator.includeTargets ?? []),
    ...(authenticator.excludeTargets ?? []),
    ...(passkey.includeTargets ?? []),
    ...(passkey.excludeTargets ?? []),
    ...features,
  ].filter((target): target is TargetRef => target !== undefined);
}

function idsOfType(targets: TargetRef[], type: "user" | "group"): string[] {
  return [
    ...new Set(
      targets
        .filter((t) => t.targetType === type && t.id !== ALL_USERS && t.id !== NIL_GUID)
        .map((t) => t.id),
    ),
  ].sort();
}

/**
 * Looks up the groups and users the declaration names. Graph failures other than "not found" do
 * not stop the export: the ids are labelled "not read" and `warn` says why (e.g. a missing
 * permission), once per object type.
 */
export async function lookUpLabels(
  graph: GraphClient,
  declaration: ExportedDeclaration,
  warn: (message: string) => void,
): Promise<ObjectLabels> {
  const targets = targetsOf(declaration);
  const labels = new Map<string, ObjectLabel>();
  const lookUps = [
    { kind: "group" as const, ids: idsOfType(targets, "group"), get: getGroups },
    { kind: "user" as const, ids: idsOfType(targets, "user"), get: getUsers },
  ];
  for (const { kind, ids, get } of lookUps) {
    if (ids.length === 0) continue;
    try {
      const found = await get(graph, ids);
      for (const id of ids) {
        const object = found.get(id);
        labels.set(
          id,
          object
            ? {
                status: "found",
                kind,
                ...(object.displayName ? { displayName: object.displayName } : {}),
                ...("userPrincipalName" in object && object.userPrincipalName
                  ? { userPrincipalName: object.userPrincipalName }
                  : {}),
              }
            : { status: "notFound", kind },
        );
      }
    } catch (err) {
      if (!(err instanceof GraphRequestError)) throw err;
      warn(`The ${kind} names were not read, so the program shows bare ids: ${err.message}`);
      for (const id of ids) labels.set(id, { status: "notRead", kind, reason: err.kind });
    }
  }
  return labels;
}

/** Keeps a directory name from ending the line comment it is written in. */
function commentSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}

/** The comment written beside a target: who the id is. */
export function describeTargetId(id: string, targetType: string, labels: ObjectLabels): string {
  if (id === ALL_USERS) return "all users";
  if (id === NIL_GUID) return "nobody";
  if (targetType === "administrativeUnit") return "an administrative unit (not looked up)";
  if (targetType === "role") return "a directory role (not looked up)";
  const label = labels.get(id);
  if (!label) return targetType;
  switch (label.status) {
    case "found": {
      const name = label.displayName ? ` "${commentSafe(label.displayName)}"` : "";
      const upn = label.userPrincipalName ? ` <${commentSafe(label.userPrincipalName)}>` : "";
      return `${label.kind}${name}${upn}`;
    }
    case "notFound":
      return `${label.kind} NOT FOUND in the directory (deleted?): the policy still names it`;
    case "notRead":
      return `${label.kind} (name not read: ${label.reason})`;
  }
}
