// Before a stack adopts a tenant singleton (create), the other stacks of the backend are asked
// whether one already manages it on the same tenant (model/sharedSingleton.ts says why): they are
// read the way the `pulumi` CLI finds them (declaration/backend.ts: `pulumi stack ls --all
// --json`, then `pulumi stack export` of each stack that holds resources), so every backend the
// CLI is logged in to works. The running stack is told apart by its URN (the call's, else the engine's
// root resource). Only at adoption: an update never reads the other stacks, so previews of a
// deployed stack stay as fast as before. When the stacks cannot be read (no CLI, not logged in),
// the adoption goes on and a warning says, once per process, that the check could not run.
import {
  otherManagers,
  SingletonManagedElsewhereError,
  stackOfUrn,
  isStack,
  type ResourceKind,
  type StackIdentity,
} from "../../model";
import type { BackendStacks } from "../../declaration";
import { currentUrn } from "./host";
import * as context from "./processSession";

const warned = new Set<string>();

/** The running stack: from the call's URN, else from the engine's root resource. */
async function runningStack(): Promise<StackIdentity | undefined> {
  return stackOfUrn(currentUrn()) ?? stackOfUrn(await context.engineRootUrn());
}

function warnOnce(kind: ResourceKind, subject: string, why: string): void {
  const key = `${kind}:${why}`;
  if (warned.has(key)) return;
  warned.add(key);
  context.warn(
    `${kind}: whether another stack already manages ${subject} of this tenant could not be checked (${why}). ` +
      `If one does, the two stacks overwrite each other at every \`pulumi up\` and destroying both brings one stack's settings back: ` +
      `manage each tenant-wide setting in one stack only.`,
  );
}

/**
 * Throws SingletonManagedElsewhereError when another stack of the backend manages `kind` on the
 * tenant the provider signs in to (asked only when another stack holds that kind at all, so a
 * preview with no such stack sends nothing to Graph). Outside the engine's provider process
 * (tests, embedders) there is no running stack to compare with, and nothing is read.
 */
export async function refuseIfManagedElsewhere(
  kind: ResourceKind,
  subject: string,
  tenantId: () => Promise<string>,
): Promise<void> {
  if (!context.inProviderProcess()) return;
  const self = await runningStack();
  if (!self) {
    warnOnce(kind, subject, "the engine did not say which stack is running");
    return;
  }
  let stacks: BackendStacks;
  try {
    // Loaded at adoption only: updates never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazily, as said
    const { backendStacks } = require("../../declaration") as typeof import("../../declaration");
    stacks = await backendStacks((name) => isStack(name, self));
  } catch (error) {
    warnOnce(kind, subject, (error as Error).message);
    return;
  }
  const { read, unread } = stacks;
  if (read.some((stack) => stack.resources.some((resource) => resource.kind === kind))) {
    const tenant = await tenantId();
    const managers = otherManagers(kind, tenant, self, read);
    if (managers.length > 0) {
      throw new SingletonManagedElsewhereError(kind, subject, tenant, managers);
    }
  }
  if (unread.length > 0) {
    warnOnce(
      kind,
      subject,
      `\`pulumi stack export\` failed for ${unread.map((name) => `"${name}"`).join(", ")}`,
    );
  }
}
