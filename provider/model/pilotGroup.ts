// PilotGroup: validation, the canonical form, the mailNickname derived from displayName, the
// mapping from and to Graph's group, and the member/owner delta an update applies.
import type * as Graph from "@microsoft/microsoft-graph-types";
import { compareCanonical, type PropertyChange } from "./compare";
import { GROUP_DISPLAY_NAME_MAX, MAIL_NICKNAME_MAX } from "./defaults";
import { UNKNOWN, canonicalMemberRef, classifyId, isGuid, isUnknown } from "./ids";
import { compareStrings } from "./targets";
import type {
  GraphMemberRef,
  PilotGroupArgs,
  PilotGroupInputs,
  PilotGroupObserved,
  PreviewInputs,
  Previewable,
} from "./types";
import {
  ProblemCollector,
  checkKnownKeys,
  checkString,
  describeValue,
  isRecord,
  listValues,
  propertyPath,
  type ValidationProblem,
} from "./validation";

export const PILOT_GROUP_ARGUMENTS = [
  "displayName",
  "description",
  "mailNickname",
  "members",
  "owners",
] as const;

// graph-contract.md §4.1: ASCII 0–127 except @ () \ [] " ; : . <> , SPACE; the schema text also
// forbids / and '. Both lists are refused, and control characters, which no mail system accepts.
const NICKNAME_FORBIDDEN = new Set([..."@()\\[]\";:.<>, /'"]);

/** Every problem in a PilotGroup's arguments; unknown (preview) values are skipped. */
export function validatePilotGroupArgs(raw: unknown): ValidationProblem[] {
  const collector = new ProblemCollector();
  if (!isRecord(raw)) {
    collector.add(
      "",
      `PilotGroup arguments must be an object such as { displayName: "Pilot - Authenticator" }, got ${describeValue(raw)}.`,
    );
    return collector.problems;
  }
  checkKnownKeys(collector, "", raw, PILOT_GROUP_ARGUMENTS, "a PilotGroup argument", {}, [
    "__provider",
  ]);
  checkDisplayName(collector, raw.displayName);
  checkString(
    collector,
    "description",
    raw.description,
    `Use a sentence saying what the group is for, or omit it.`,
  );
  checkMailNickname(collector, raw.mailNickname);
  checkMemberList(collector, "members", raw.members);
  checkMemberList(collector, "owners", raw.owners);
  return collector.problems;
}

function checkDisplayName(collector: ProblemCollector, value: unknown): void {
  const example = `e.g. "Pilot - Authenticator wave 1"`;
  if (isUnknown(value)) return;
  if (value === undefined || value === null) {
    collector.add("displayName", `is required. Use the group's name, ${example}.`);
  } else if (typeof value !== "string") {
    collector.add(
      "displayName",
      `${describeValue(value)} is not a string. Use the group's name, ${example}.`,
    );
  } else if (value.trim() === "") {
    collector.add("displayName", `is empty. Use the group's name, ${example}.`);
  } else if (value.length > GROUP_DISPLAY_NAME_MAX) {
    collector.add(
      "displayName",
      `is ${value.length} characters long; Microsoft Entra allows at most ${GROUP_DISPLAY_NAME_MAX}. Shorten it.`,
    );
  }
}

function checkMailNickname(collector: ProblemCollector, value: unknown): void {
  const status = checkString(
    collector,
    "mailNickname",
    value,
    `Use ASCII letters, digits, "-" and "_", or omit it to derive one from displayName.`,
  );
  if (status !== "ok" || typeof value !== "string") return;
  if (value === "") {
    collector.add(
      "mailNickname",
      `is empty. Omit it to derive one from displayName, or use e.g. "pilot-wave-1".`,
    );
    return;
  }
  const bad = [...new Set([...value].filter((char) => !nicknameCharAllowed(char)))];
  const problems: string[] = [];
  if (bad.length > 0) {
    problems.push(
      `contains characters Microsoft Entra does not allow in a mail nickname (${listValues(bad, "and")})`,
    );
  }
  if (value.length > MAIL_NICKNAME_MAX) {
    problems.push(`is ${value.length} characters long (at most ${MAIL_NICKNAME_MAX})`);
  }
  if (problems.length === 0) return;
  collector.add(
    "mailNickname",
    `${describeValue(value)} ${problems.join(" and ")}. Use ASCII letters, digits, "-" and "_" ` +
      `(no spaces or @ ( ) \\ [ ] " ; : . < > , / '), e.g. ${JSON.stringify(deriveMailNickname(value))}, ` +
      `or omit mailNickname to derive it from displayName.`,
  );
}

function nicknameCharAllowed(char: string): boolean {
  const code = char.charCodeAt(0);
  return char.length === 1 && code > 31 && code < 127 && !NICKNAME_FORBIDDEN.has(char);
}

/** True when Graph accepts the value as a mail nickname (contract §4.1). */
export function isValidMailNickname(value: string): boolean {
  return (
    value.length > 0 &&
    value.length <= MAIL_NICKNAME_MAX &&
    [...value].every((char) => nicknameCharAllowed(char))
  );
}

function checkMemberList(collector: ProblemCollector, list: "members" | "owners", value: unknown) {
  if (value === undefined || value === null || isUnknown(value)) return;
  const fix = `Use the user's principal name (e.g. "alice@contoso.com") or object id (GUID).`;
  if (!Array.isArray(value)) {
    collector.add(
      list,
      `${describeValue(value)} is not a list. Use a list of user principal names or object ids.`,
    );
    return;
  }
  const seen = new Map<string, { path: string; ref: string }>();
  value.forEach((ref: unknown, index) => {
    const path = propertyPath(list, index);
    if (isUnknown(ref)) return;
    if (typeof ref !== "string") {
      collector.add(path, `${describeValue(ref)} is not a string. ${fix}`);
      return;
    }
    if (ref.trim() === "") {
      collector.add(path, `is empty. ${fix}`);
      return;
    }
    const kind = classifyId(ref);
    if (kind === "allUsers") {
      collector.add(
        path,
        `"all_users" is not a user; a group's ${list} are named one by one. ${fix}`,
      );
      return;
    }
    if (kind === "invalid") {
      collector.add(
        path,
        `${describeValue(ref)} is neither an object id (GUID) nor a user principal name. ${fix}`,
      );
      return;
    }
    const canonical = canonicalMemberRef(ref);
    const earlier = seen.get(canonical);
    if (earlier !== undefined) {
      collector.add(
        path,
        earlier.ref === ref
          ? `${describeValue(ref)} is listed twice (also ${earlier.path}). Remove one of them.`
          : `${describeValue(ref)} is the same as ${earlier.path} (${describeValue(earlier.ref)}); user principal names and ids are case-insensitive. Remove one of them.`,
      );
      return;
    }
    seen.set(canonical, { path, ref });
  });
}

/**
 * A mail nickname Graph accepts, derived from a display name: accents dropped (ø → o, ß → ss), runs of other
 * characters turned into "-", lower case, at most 64 characters. A name with no usable character
 * (e.g. only CJK) gets "group-" and a stable hash, so the same name always derives the same value.
 */
export function deriveMailNickname(displayName: string): string {
  const nickname = displayName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[øØæÆœŒßđĐłŁþÞðÐ]/g, (letter) => LATIN_LETTERS[letter] ?? "")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase()
    .slice(0, MAIL_NICKNAME_MAX)
    .replace(/-+$/, "");
  return nickname === "" ? `group-${fnv1a32(displayName)}` : nickname;
}

// Latin letters that NFKD does not decompose into an ASCII letter and an accent.
const LATIN_LETTERS: Readonly<Record<string, string>> = {
  ø: "o",
  Ø: "O",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ß: "ss",
  đ: "d",
  Đ: "D",
  ł: "l",
  Ł: "L",
  þ: "th",
  Þ: "TH",
  ð: "d",
  Ð: "D",
};

function fnv1a32(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** Anything shaped like PilotGroup arguments: declared args, canonical inputs, a group read back. */
export type PilotGroupLike = PreviewInputs<PilotGroupArgs | PilotGroupInputs>;

/**
 * The canonical form of validated arguments: description "" when omitted, mailNickname derived when
 * omitted, member and owner references lower-case and sorted (unknown ones last, in declared order).
 * `members`/`owners` stay absent when omitted (membership not managed).
 */
export function normalizePilotGroupArgs(args: PilotGroupLike): PreviewInputs<PilotGroupInputs> {
  const displayName = args.displayName;
  const derived =
    typeof displayName === "string" && !isUnknown(displayName)
      ? deriveMailNickname(displayName)
      : UNKNOWN;
  return {
    displayName,
    description: args.description ?? "",
    mailNickname: args.mailNickname ?? derived,
    ...(args.members === undefined || args.members === null
      ? {}
      : { members: normalizeRefs(args.members) }),
    ...(args.owners === undefined || args.owners === null
      ? {}
      : { owners: normalizeRefs(args.owners) }),
  };
}

function normalizeRefs(refs: Previewable<string[]>): Previewable<string[]> {
  if (isUnknown(refs) || !Array.isArray(refs)) return refs;
  const known = refs.filter((ref) => !isUnknown(ref)).map(canonicalMemberRef);
  const unknown = refs.filter((ref) => isUnknown(ref));
  return [...known.sort(compareStrings), ...unknown];
}

/** The UPNs among member or owner references: what must be looked up before ids are known. */
export function principalNamesToResolve(refs: readonly string[]): string[] {
  return uniqueSorted(refs.filter((ref) => classifyId(ref) === "upn").map(canonicalMemberRef));
}

/**
 * Object ids for member or owner references, given the ids found for their UPNs. `unresolved` lists
 * the UPNs with no id (no such user), so the caller can say which names do not exist.
 */
export function resolveRefs(
  refs: readonly string[],
  idsByPrincipalName: ReadonlyMap<string, string>,
): { ids: string[]; unresolved: string[] } {
  const lookup = new Map(
    [...idsByPrincipalName].map(([name, id]) => [name.toLowerCase(), id.toLowerCase()]),
  );
  const ids: string[] = [];
  const unresolved: string[] = [];
  for (const ref of refs) {
    const canonical = canonicalMemberRef(ref);
    if (isGuid(canonical)) {
      ids.push(canonical);
      continue;
    }
    const id = lookup.get(canonical);
    if (id === undefined) unresolved.push(canonical);
    else ids.push(id);
  }
  return { ids: uniqueSorted(ids), unresolved: uniqueSorted(unresolved) };
}

/** What an update adds and removes so that the actual ids become the desired ids (by object id). */
export function membershipDelta(
  desiredIds: readonly string[],
  actualIds: readonly string[],
): { add: string[]; remove: string[] } {
  const desired = new Set(desiredIds.map((id) => id.toLowerCase()));
  const actual = new Set(actualIds.map((id) => id.toLowerCase()));
  return {
    add: [...desired].filter((id) => !actual.has(id)).sort(compareStrings),
    remove: [...actual].filter((id) => !desired.has(id)).sort(compareStrings),
  };
}

/**
 * A group as read from Graph, canonical. Members and owners are also expressed the way the program
 * names them (a UPN where it declared the UPN, else the id), so they compare with the declaration;
 * they are left out when the declaration does not manage them.
 */
export function pilotGroupFromGraph(
  group: Graph.Group,
  members: readonly GraphMemberRef[],
  owners: readonly GraphMemberRef[],
  declared?: Pick<PilotGroupLike, "members" | "owners">,
): PilotGroupObserved {
  const memberIds = uniqueSorted(idsOf(members));
  const ownerIds = uniqueSorted(idsOf(owners));
  return {
    id: (group.id ?? "").toLowerCase(),
    displayName: group.displayName ?? "",
    description: group.description ?? "",
    mailNickname: group.mailNickname ?? "",
    ...(Array.isArray(declared?.members) ? { members: asDeclared(members, declared.members) } : {}),
    ...(Array.isArray(declared?.owners) ? { owners: asDeclared(owners, declared.owners) } : {}),
    memberIds,
    ownerIds,
  };
}

function idsOf(refs: readonly GraphMemberRef[]): string[] {
  return refs.flatMap((ref) => (typeof ref.id === "string" ? [ref.id.toLowerCase()] : []));
}

function asDeclared(actual: readonly GraphMemberRef[], declared: readonly string[]): string[] {
  const names = new Set(declared.map(canonicalMemberRef));
  return uniqueSorted(
    actual.flatMap((ref) => {
      if (typeof ref.id !== "string") return [];
      const id = ref.id.toLowerCase();
      const upn = ref.userPrincipalName?.toLowerCase();
      return [!names.has(id) && upn !== undefined && names.has(upn) ? upn : id];
    }),
  );
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** The POST /groups body: a security group (mailEnabled false, securityEnabled true). */
export function pilotGroupToGraphCreate(inputs: PilotGroupInputs): Graph.Group {
  return {
    displayName: inputs.displayName,
    ...(inputs.description === "" ? {} : { description: inputs.description }),
    mailNickname: inputs.mailNickname,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
  };
}

/** The PATCH /groups/{id} body for what differs (undefined when nothing does); renaming is an update. */
export function pilotGroupToGraphPatch(
  declared: PilotGroupInputs,
  actual: PilotGroupInputs,
): Graph.Group | undefined {
  const patch: Graph.Group = {};
  if (declared.displayName !== actual.displayName) patch.displayName = declared.displayName;
  if (declared.description !== actual.description) {
    // Graph clears a description with null; "" is how the canonical form spells "none".
    patch.description = declared.description === "" ? null : declared.description;
  }
  if (declared.mailNickname !== actual.mailNickname) patch.mailNickname = declared.mailNickname;
  return Object.keys(patch).length === 0 ? undefined : patch;
}

/** Per-property differences, declared versus actual, on canonical forms. */
export function diffPilotGroup(declared: PilotGroupLike, actual: PilotGroupLike): PropertyChange[] {
  return compareCanonical(normalizePilotGroupArgs(declared), normalizePilotGroupArgs(actual), {
    arguments: PILOT_GROUP_ARGUMENTS,
  });
}

/** A member or owner reference as looked up in the tenant (graph/users.ts lookUpPrincipals). */
export interface PrincipalFound {
  id: string;
  /** "user", "group", "servicePrincipal"...; "member" for an object the group already holds. */
  type: string;
  displayName?: string;
}

// What each list may hold: a group's members are users (a nested group widens the campaign to
// everyone in it); Graph also lets a service principal own a group (graph-contract.md §4.5).
const ALLOWED_TYPES: Record<"members" | "owners", readonly string[]> = {
  members: ["user", "member"],
  owners: ["user", "servicePrincipal", "member"],
};

/**
 * The problems with member or owner references once looked up, before any write: a name or id that
 * names nothing, an object that is not a user (a group given as a member), and one object named
 * twice (its UPN and its object id). `found` maps each canonical reference to what it names.
 */
export function principalProblems(
  list: "members" | "owners",
  refs: readonly string[],
  found: ReadonlyMap<string, PrincipalFound>,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const add = (message: string) =>
    problems.push({ property: list, message: `${list}: ${message}` });
  const byId = new Map<string, string>();
  for (const ref of refs.map(canonicalMemberRef)) {
    const object = found.get(ref);
    if (!object) {
      add(
        isGuid(ref)
          ? `no object with id "${ref}" exists in the tenant. Check the id (the user's Object ID in the Microsoft Entra admin center), or use the user principal name.`
          : `no user "${ref}" exists in the tenant. Check the user principal name, or use the user's object id.`,
      );
      continue;
    }
    const named = object.displayName ? ` "${object.displayName}"` : "";
    if (!ALLOWED_TYPES[list].includes(object.type)) {
      add(
        object.type === "group"
          ? `"${ref}" is the group${named}, not a user. Nesting a group in the pilot group puts everyone in it in the campaign's scope, now and whenever that group grows. List the users one by one, or target the group itself in the campaign's and the Authenticator policy's includeTargets.`
          : `"${ref}" is a ${object.type}${named}, not a user. A pilot group's ${list} are users${list === "owners" ? " or service principals" : ""}.`,
      );
      continue;
    }
    const earlier = byId.get(object.id);
    if (earlier !== undefined) {
      add(
        `"${earlier}" and "${ref}" name the same object (${object.id}${named}). List it once, by its user principal name or by its object id.`,
      );
      continue;
    }
    byId.set(object.id, ref);
  }
  return problems;
}

/**
 * The declared member or owner references, each spelled the way the recorded state spells the
 * same object (`recorded` refs, `principalIds` UPN → id as resolved when they were applied):
 * switching a member from its UPN to its object id (or back) is then no change, and diff still
 * makes no Graph call. References the state does not know stay as they are (a change).
 */
export function asRecordedRefs(
  declared: Previewable<string[]> | undefined,
  recorded: unknown,
  principalIds: unknown,
): Previewable<string[]> | undefined {
  if (!Array.isArray(declared) || !Array.isArray(recorded) || !isRecord(principalIds)) {
    return declared;
  }
  const idOf = (ref: string) => {
    const canonical = canonicalMemberRef(ref);
    const id = principalIds[canonical];
    return typeof id === "string" ? id.toLowerCase() : canonical;
  };
  const recordedById = new Map<string, string>();
  for (const ref of recorded) if (typeof ref === "string") recordedById.set(idOf(ref), ref);
  return declared.map((ref) =>
    isUnknown(ref) || typeof ref !== "string" ? ref : (recordedById.get(idOf(ref)) ?? ref),
  );
}
