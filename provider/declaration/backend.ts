// The stacks of the logged-in backend, every project's, with this package's resources as their
// states record them: for the providers' check that one stack manages each tenant singleton
// (model/sharedSingleton.ts). Read through the pulumi CLI like every other stack (provider/stack.ts).
import type { StackHoldings } from "../model";
import { listStacks, stackResources, type BackendStack } from "../stack";

/** Stacks read at once (each is one `pulumi stack export`). */
const PARALLEL_READS = 4;

export interface BackendStacks {
  /** The stacks read, with this package's resources. */
  read: StackHoldings[];
  /** The stacks whose export failed, by name, sorted. */
  unread: string[];
}

/**
 * Every stack of the backend that holds resources, except those `skip` names (the running stack),
 * read PARALLEL_READS at a time. Throws when the stacks cannot be listed (no CLI, not logged in).
 */
export async function backendStacks(skip: (name: string) => boolean): Promise<BackendStacks> {
  // A stack with no resources manages nothing: it is not read.
  const queue: BackendStack[] = (await listStacks()).filter(
    (stack) => stack.resourceCount !== 0 && !skip(stack.name),
  );
  const read: StackHoldings[] = [];
  const unread: string[] = [];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        read.push({ name: next.name, resources: await stackResources(next.name) });
      } catch {
        unread.push(next.name);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, queue.length) }, worker));
  return { read, unread: unread.sort() };
}
