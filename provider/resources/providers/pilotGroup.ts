// Pilot security groups (graph-contract.md §4). Members and owners may be named by UPN or object
// id; UPNs are resolved in batches before anything is written. A group is created with as many
// relationships bound as Graph allows in one call; the rest are added once the new group has
// replicated. If anything fails after the group exists, the error carries its id and what it
// holds, so the engine records a partially created resource and a rerun converges: no orphan.
import type * as pulumi from "@pulumi/pulumi";
import {
  changeRelationship,
  createSecurityGroup,
  CREATE_BIND_LIMIT,
  deleteGroup,
  findGroupsByMailNickname,
  getGroup,
  lookUpPrincipals,
  GraphRequestError,
  listRelationship,
  updateGroup,
  nothingChanged,
  withHint,
  writeMayHaveHappened,
  type GraphClient,
  type NewSecurityGroup,
  type Relationship,
} from "../../graph";
import {
  checkArgs,
  describeChanges,
  describeOverwrites,
  diffResult,
  InputValidationError,
  membershipDelta,
  parseArgs,
  pilotGroupFromGraph,
  pilotGroupToGraphPatch,
  asRecordedRefs,
  canonicalMemberRef,
  isGuid,
  principalNamesToResolve,
  principalProblems,
  type PrincipalFound,
  resolveRefs,
  toCheckFailures,
  type PilotGroupInputs,
  type PilotGroupObserved,
} from "../../model";
import { readPilotGroup } from "../../live";
import { overwriteWarning } from "../../render";
import * as context from "./processSession";
import { argumentsOf, PROVIDER_KEY, withoutProvider } from "./props";
import { readUntilSettled, REPLICATION_WAITS_SECONDS } from "./replication";
import { tenantMove, warnNotDeleted, warnNotRead } from "./tenant";

/** Outputs: the canonical inputs as Graph holds them, plus ids and the tenant. */
type Outputs = Omit<PilotGroupObserved, "id"> & {
  tenantId: string;
  /** UPN → object id of the UPNs the program names, as last applied: diff compares by object. */
  principalIds?: Record<string, string>;
};

/**
 * Thrown after the group exists (a create) or changed (an update) in part: the engine records `id`
 * and `properties` as the resource's state (dynamic-provider host, ErrorResourceInitFailed).
 */
class PartiallyCreatedError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "PartiallyCreatedError";
  }
}

/** Waits for replication: a new group answers 404 to references for a few seconds (§4.8). */
async function afterReplication<T>(action: () => Promise<T>): Promise<T> {
  const delays = [0.5, 1, 2, 4, 8, 16];
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (err) {
      const notYet = err instanceof GraphRequestError && err.kind === "notFound";
      if (!notYet || attempt >= delays.length) throw err;
      await new Promise((resolve) => setTimeout(resolve, delays[attempt] * 1000));
    }
  }
}

/**
 * POST /groups, which is never repeated. When the call may have been carried out all the same (no
 * answer in time, a dropped connection, an answer cut off or unreadable, a 5xx: see
 * writeMayHaveHappened), the tenant is asked before anything is said: since no group had this
 * mailNickname just before, a group that has it now is this call's, and it is taken over instead
 * of being orphaned (the rerun would refuse it as "already exists"). Only a group not found after
 * the replication waits lets the error say that nothing was created.
 */
async function createSecurityGroupOnce(
  graph: GraphClient,
  group: NewSecurityGroup,
): Promise<{ id?: string | null }> {
  try {
    return await createSecurityGroup(graph, group);
  } catch (err) {
    if (!(err instanceof GraphRequestError) || !writeMayHaveHappened(err)) throw err;
    const nickname = `mailNickname "${group.mailNickname}"`;
    // A new group is listed only once it has replicated, usually within seconds (§4.8).
    let found;
    try {
      found = await readUntilSettled(
        () => findGroupsByMailNickname(graph, group.mailNickname),
        (groups) => groups.length > 0,
      );
    } catch (lookupErr) {
      throw withHint(
        err,
        `Whether Graph created the group anyway could not be checked (${(lookupErr as Error).message}). ` +
          `Before rerunning, look for a group with ${nickname} and delete it if it exists.`,
      );
    }
    if (found.length === 1) return found[0];
    if (found.length === 0) {
      const waited = REPLICATION_WAITS_SECONDS.reduce((sum, s) => sum + s, 0);
      throw withHint(
        err,
        `Checked afterwards: no group with ${nickname} exists ${waited} s later, so Graph did not create it. Rerun.`,
      );
    }
    // More than one: someone else's too, so none is provably this call's.
    throw withHint(
      err,
      `Graph may have created the group all the same, but ${found.length} groups now have ${nickname} ` +
        `(${found.map((g) => `${g.displayName} (${g.id})`).join(", ")}), so which one is this call's cannot be told. ` +
        `Delete the one just created (the newest), then rerun.`,
    );
  }
}

/**
 * Refuses, before any write, a mailNickname another group already has (§4.1: not unique for
 * security groups, so Graph would accept it): on create, and on an update that renames.
 */
async function refuseTakenMailNickname(
  graph: GraphClient,
  mailNickname: string,
  ownId?: string,
): Promise<void> {
  const existing = (await findGroupsByMailNickname(graph, mailNickname)).filter(
    (g) => String(g.id).toLowerCase() !== ownId,
  );
  if (existing.length === 0) return;
  const ids = existing.map((g) => `${g.displayName} (${g.id})`).join(", ");
  throw new Error(
    `PilotGroup: a group with mailNickname "${mailNickname}" already exists: ${ids}. It is not adopted silently. ` +
      (ownId
        ? `Renaming this group would give it the same mailNickname: choose another displayName, or set mailNickname to a value no other group has.`
        : `To manage a new group, choose another displayName or mailNickname. To keep using the existing group, ` +
          `reference its object id in the campaign and Authenticator targets instead of declaring a PilotGroup, ` +
          `or delete it first (deleted groups stay restorable for 30 days).`),
  );
}

interface Resolved {
  memberIds?: string[];
  ownerIds?: string[];
  /** Object id → the reference the program used for it. */
  names: Map<string, string>;
  /** UPN → object id, for every UPN the program names (kept in the state for diff). */
  principalIds: Record<string, string>;
}

/**
 * Resolves member and owner references in one batched lookup and throws, before any write, for a
 * name or id that names nothing, an object that is not a user (a group given as a member), or one
 * object named twice. Object ids the group already holds (`held`) are not looked up again.
 */
async function resolvePrincipals(
  graph: GraphClient,
  inputs: PilotGroupInputs,
  held: ReadonlySet<string> = new Set(),
): Promise<Resolved> {
  const refs = [...(inputs.members ?? []), ...(inputs.owners ?? [])].map(canonicalMemberRef);
  const upns = principalNamesToResolve(refs);
  const objectIds = [...new Set(refs.filter((ref) => isGuid(ref) && !held.has(ref)))];
  const principals = await lookUpPrincipals(
    graph,
    { objectIds, userPrincipalNames: upns },
    { otherObjects: true },
  );
  const found = new Map<string, PrincipalFound>(principals);
  for (const ref of refs) if (held.has(ref)) found.set(ref, { id: ref, type: "member" });
  const problems = [
    ...(inputs.members ? principalProblems("members", inputs.members, found) : []),
    ...(inputs.owners ? principalProblems("owners", inputs.owners, found) : []),
  ];
  if (problems.length > 0) throw new InputValidationError("PilotGroup", problems);
  const idsByName = new Map<string, string>();
  for (const upn of upns) idsByName.set(upn, (found.get(upn) as PrincipalFound).id);
  const names = new Map<string, string>();
  for (const ref of refs) names.set(idsByName.get(ref) ?? ref, ref);
  return {
    memberIds: inputs.members ? resolveRefs(inputs.members, idsByName).ids : undefined,
    ownerIds: inputs.owners ? resolveRefs(inputs.owners, idsByName).ids : undefined,
    names,
    principalIds: Object.fromEntries([...idsByName].sort(([a], [b]) => a.localeCompare(b))),
  };
}

function outputsOf(
  inputs: PilotGroupInputs,
  memberIds: string[],
  ownerIds: string[],
  resolved: Pick<Resolved, "names" | "principalIds">,
  tenantId: string,
): Outputs {
  const { names, principalIds } = resolved;
  const sorted = (ids: string[]) => [...new Set(ids)].sort();
  const asDeclared = (ids: string[]) => sorted(ids.map((id) => names.get(id) ?? id));
  return {
    displayName: inputs.displayName,
    description: inputs.description,
    mailNickname: inputs.mailNickname,
    ...(inputs.members ? { members: asDeclared(memberIds) } : {}),
    ...(inputs.owners ? { owners: asDeclared(ownerIds) } : {}),
    memberIds: sorted(memberIds),
    ownerIds: sorted(ownerIds),
    principalIds,
    tenantId,
  };
}

async function applyDelta(
  graph: GraphClient,
  groupId: string,
  relationship: Relationship,
  desired: string[] | undefined,
  actual: string[],
): Promise<string[]> {
  if (!desired) return actual;
  const { add, remove } = membershipDelta(desired, actual);
  // Adding before removing: a group must keep at least one owner (§4.5).
  await changeRelationship(graph, groupId, relationship, "add", add);
  await changeRelationship(graph, groupId, relationship, "remove", remove);
  return desired;
}

/** Whether the ids read are the ids wanted (always, when none are wanted: not managed). */
function showsIds(want: string[] | undefined, have: string[]): boolean {
  return want === undefined || [...new Set(want)].sort().join() === [...have].sort().join();
}

/**
 * What the group holds after a write failed part-way. A write whose answer was lost (a timeout, a
 * reset) may have been carried out all the same, so the outputs are read back, never assumed; reads
 * of memberships lag behind writes for seconds (§4.8), so the read is repeated while it does not
 * show every intended change. Undefined when the group cannot be read.
 */
async function observedAfterFailure(
  graph: GraphClient,
  id: string,
  inputs: PilotGroupInputs,
  intended: { memberIds?: string[]; ownerIds?: string[] },
  tenantId: string,
): Promise<Outputs | undefined> {
  let observed: PilotGroupObserved | undefined;
  try {
    observed = await readUntilSettled(
      () => readPilotGroup(graph, id, inputs),
      (group) =>
        !group ||
        (showsIds(intended.memberIds, group.memberIds) &&
          showsIds(intended.ownerIds, group.ownerIds)),
    );
  } catch {
    return undefined;
  }
  if (!observed) return undefined;
  const { id: _objectId, ...outputs } = observed;
  void _objectId;
  return { ...outputs, tenantId };
}

/**
 * Outputs without what a failed write may have changed (memberships, patched properties), for when
 * the group cannot be read back: the state then claims only what is certain, and the next update
 * reads the rest from Graph.
 */
function withoutUncertain(
  outputs: object,
  inputs: PilotGroupInputs,
  patched: string[] = [],
): Record<string, unknown> {
  const certain: Record<string, unknown> = { ...outputs };
  const uncertain = [
    ...(inputs.members ? ["members", "memberIds"] : []),
    ...(inputs.owners ? ["owners", "ownerIds"] : []),
    ...patched,
  ];
  for (const key of uncertain) delete certain[key];
  return certain;
}

export const pilotGroupProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    context.graph();
    const outcome = checkArgs("PilotGroup", withoutProvider(news));
    if (!outcome.ok) return { inputs: news, failures: toCheckFailures(outcome.problems) };
    return { inputs: outcome.inputs as Record<string, unknown> };
  },

  async diff(_id, olds, news) {
    // Bound to its tenant like the singletons: another tenant is a replacement (the new group is
    // created there first, then the old one's delete refuses and says where it stays).
    const current = await context.tenantId();
    // Members and owners compare by the object they name: the declared references are spelled the
    // way the state spells the same objects (principalIds), so a UPN switched to its object id is
    // no change, without a Graph call.
    const respelled = { ...news };
    for (const list of ["members", "owners"] as const) {
      if (news[list] === undefined) continue;
      respelled[list] = asRecordedRefs(news[list] as string[], olds[list], olds.principalIds);
    }
    const { changes, replaces, deleteBeforeReplace, stables } = diffResult(
      "PilotGroup",
      olds,
      respelled,
      { prior: olds.tenantId as string | undefined, current },
    );
    return { changes, replaces, deleteBeforeReplace, stables };
  },

  async create(props) {
    const inputs = parseArgs("PilotGroup", argumentsOf("PilotGroup", props));
    const graph = context.graph();
    const tenantId = await context.tenantId();
    const resolved = await resolvePrincipals(graph, inputs);
    await refuseTakenMailNickname(graph, inputs.mailNickname);
    // Owners first: an app-only caller should bind an owner at creation (§4.1).
    const ownerIds = resolved.ownerIds ?? [];
    const memberIds = resolved.memberIds ?? [];
    const bindOwners = ownerIds.slice(0, CREATE_BIND_LIMIT);
    const bindMembers = memberIds.slice(0, CREATE_BIND_LIMIT - bindOwners.length);
    const group = await createSecurityGroupOnce(graph, {
      displayName: inputs.displayName,
      mailNickname: inputs.mailNickname,
      description: inputs.description || undefined,
      ownerIds: bindOwners,
      memberIds: bindMembers,
    });
    const id = String(group.id).toLowerCase();
    let addedOwners = bindOwners;
    let addedMembers = bindMembers;
    try {
      await afterReplication(() =>
        changeRelationship(graph, id, "owners", "add", ownerIds.slice(bindOwners.length)),
      );
      addedOwners = ownerIds;
      await afterReplication(() =>
        changeRelationship(graph, id, "members", "add", memberIds.slice(bindMembers.length)),
      );
      addedMembers = memberIds;
    } catch (err) {
      const outs =
        (await observedAfterFailure(graph, id, inputs, { memberIds, ownerIds }, tenantId)) ??
        withoutUncertain(outputsOf(inputs, addedMembers, addedOwners, resolved, tenantId), inputs);
      throw new PartiallyCreatedError(
        `PilotGroup: the group "${inputs.displayName}" (${id}) was created, but not all of its members and owners could be added: ${(err as Error).message} Run the update again: it adds the rest.`,
        id,
        { ...outs, [PROVIDER_KEY]: props[PROVIDER_KEY] },
        [(err as Error).message],
      );
    }
    return { id, outs: outputsOf(inputs, memberIds, ownerIds, resolved, tenantId) };
  },

  async read(id, props) {
    const recorded = props as unknown as Outputs;
    const move = await tenantMove(props);
    if (move) {
      warnNotRead("PilotGroup", id, `the group "${recorded.displayName}" was created`, move);
      return { id, props };
    }
    const declared = argumentsOf("PilotGroup", props) as Pick<
      PilotGroupInputs,
      "members" | "owners"
    >;
    const observed = await readPilotGroup(context.graph(), id, declared);
    // Gone (deleted in the portal): an empty id tells the engine the resource no longer exists.
    if (!observed) return { id: "", props: {} };
    const { id: _objectId, memberIds, ownerIds, ...inputs } = observed;
    void _objectId;
    return {
      id,
      // A state repaired by hand (a pending create recorded as done, docs/reliability.md) has no
      // tenantId yet: the tenant the provider signs in to is the group's.
      props: {
        ...inputs,
        memberIds,
        ownerIds,
        ...(recorded.principalIds ? { principalIds: recorded.principalIds } : {}),
        tenantId: recorded.tenantId ?? (await context.tenantId()),
      },
      inputs,
    };
  },

  async update(id, olds, news) {
    const recorded = olds as unknown as Outputs;
    const inputs = parseArgs("PilotGroup", argumentsOf("PilotGroup", news));
    const graph = context.graph();
    const group = await getGroup(graph, id);
    const [members, owners] = await Promise.all([
      inputs.members ? listRelationship(graph, id, "members") : Promise.resolve(undefined),
      inputs.owners ? listRelationship(graph, id, "owners") : Promise.resolve(undefined),
    ]);
    const held = new Set([...(members ?? []), ...(owners ?? [])].map((o) => o.id));
    const resolved = await resolvePrincipals(graph, inputs, held);
    const actual = pilotGroupFromGraph(group, members ?? [], owners ?? [], inputs);
    const overwrites = describeOverwrites(
      "PilotGroup",
      argumentsOf("PilotGroup", olds) as unknown as PilotGroupInputs,
      actual,
      inputs,
    );
    if (overwrites.length > 0) {
      // Members and owners named by id read as their sign-in names, as just listed.
      const names = new Map<string, string>();
      for (const object of [...(members ?? []), ...(owners ?? [])]) {
        if (object.userPrincipalName) names.set(object.id, object.userPrincipalName);
      }
      context.warn(overwriteWarning("PilotGroup", overwrites, names));
    }
    const patch = pilotGroupToGraphPatch(inputs, actual);
    if (patch?.mailNickname) await refuseTakenMailNickname(graph, patch.mailNickname, id);
    try {
      if (patch) await updateGroup(graph, id, patch);
      const ownerIds = await applyDelta(
        graph,
        id,
        "owners",
        resolved.ownerIds,
        owners ? owners.map((o) => o.id) : recorded.ownerIds,
      );
      const memberIds = await applyDelta(
        graph,
        id,
        "members",
        resolved.memberIds,
        members ? members.map((m) => m.id) : recorded.memberIds,
      );
      // A state from before tenants were recorded gets its tenant here (docs/resources.md).
      const tenantId = recorded.tenantId ?? (await context.tenantId());
      return { outs: outputsOf(inputs, memberIds, ownerIds, resolved, tenantId) };
    } catch (err) {
      // Some changes may have been made (or made with their answer lost): the state must record
      // what the group holds now, not what it held before (the engine keeps the old outputs of a
      // plain failure), or it would claim members the group no longer has.
      const intended = { memberIds: resolved.memberIds, ownerIds: resolved.ownerIds };
      const read = await observedAfterFailure(graph, id, inputs, intended, recorded.tenantId);
      // Nothing changed (Graph refused the first write, or 5xx beyond the retries): a plain error,
      // so that the engine keeps the state as it was. A partial result would record the new inputs
      // with init errors, and every later preview would show an update with no property in it.
      if (read && describeChanges("PilotGroup", actual, read).length === 0) {
        throw nothingChanged(err, `the group "${inputs.displayName}" (${id}) is as it was`);
      }
      const observed =
        read ?? withoutUncertain(withoutProvider(olds), inputs, Object.keys(patch ?? {}));
      throw new PartiallyCreatedError(
        `PilotGroup: the group "${inputs.displayName}" (${id}) was updated only in part: ${(err as Error).message} Run the update again: it makes the rest of the changes.`,
        id,
        { ...observed, [PROVIDER_KEY]: news[PROVIDER_KEY] },
        [(err as Error).message],
      );
    }
  },

  async delete(id, props) {
    const move = await tenantMove(props);
    if (move) {
      warnNotDeleted(
        "PilotGroup",
        id,
        `the group "${String(props.displayName)}"`,
        "deleted",
        move,
        `Delete it in tenant ${move.recorded} yourself (object id ${id}), or point the settings back to that tenant and run destroy there.`,
      );
      return;
    }
    try {
      await deleteGroup(context.graph(), id);
    } catch (err) {
      if (err instanceof GraphRequestError && err.kind === "notFound") return; // already gone
      throw err;
    }
  },
};
