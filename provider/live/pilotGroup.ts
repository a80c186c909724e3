// A pilot group as the tenant holds it (graph-contract.md §4), read the way the PilotGroup
// resource reads it.
import {
  getGroupWithOwners,
  GraphRequestError,
  listRelationship,
  type GraphClient,
} from "../graph";
import { pilotGroupFromGraph, type PilotGroupInputs, type PilotGroupObserved } from "../model";

/**
 * The group as Graph holds it, members and owners named the way the declaration names them;
 * undefined when the group no longer exists.
 */
export async function readPilotGroup(
  graph: GraphClient,
  id: string,
  declared: Pick<PilotGroupInputs, "members" | "owners">,
): Promise<PilotGroupObserved | undefined> {
  let read;
  try {
    // The owners come with the group ($expand): one read fewer per group on every refresh.
    read = await getGroupWithOwners(graph, id);
  } catch (err) {
    if (err instanceof GraphRequestError && err.kind === "notFound") return undefined;
    throw err;
  }
  const group = read.group;
  const [members, owners] = await Promise.all([
    listRelationship(graph, id, "members"),
    read.owners ?? listRelationship(graph, id, "owners"),
  ]);
  return pilotGroupFromGraph(group, members, owners, declared);
}
