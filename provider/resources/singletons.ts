// One resource per tenant singleton per program. Two AuthenticatorPolicy resources (or two
// campaigns) would both adopt and write the same tenant-wide settings, each `up` overwriting the
// other's, and each destroy restoring what the other adopted. The providers run separately and
// never see each other, so the program itself refuses the second one while it declares it: the
// preview fails naming both. A new singleton kind joins with one `claimSingleton` call in its
// constructor.
import * as pulumi from "@pulumi/pulumi";

/** Thrown when a program declares a second resource for a tenant singleton. */
export class SingletonDeclaredTwiceError extends Error {
  constructor(kind: string, subject: string, first: string, second: string) {
    super(
      `${kind} "${second}" manages ${subject}, which ${kind} "${first}" in this program already manages: ` +
        `the tenant has one, so each \`pulumi up\` would overwrite the other's settings. ` +
        `Declare one ${kind} per program and merge the two into it (e.g. both sets of targets in one includeTargets list).`,
    );
    this.name = "SingletonDeclaredTwiceError";
    // A mistake in the program, not a bug: the engine shows the message without a stack.
    this.stack = `${this.name}: ${this.message}`;
  }
}

// The names claimed per kind, per program run: Automation API runs several programs (and a
// preview then an update) in one process, each with its own resource monitor.
const claims = new WeakMap<object, Map<string, string>>();

/**
 * Claims the tenant singleton `kind` (e.g. "AuthenticatorPolicy", described as `subject`) for the
 * resource `name`; throws SingletonDeclaredTwiceError when another resource of the program has it.
 * Outside a program run (no resource monitor) there is nothing to compare with.
 */
export function claimSingleton(kind: string, subject: string, name: string): void {
  const monitor = pulumi.runtime.getMonitor();
  if (!monitor) return;
  let claimed = claims.get(monitor);
  if (!claimed) claims.set(monitor, (claimed = new Map()));
  const first = claimed.get(kind);
  if (first !== undefined) throw new SingletonDeclaredTwiceError(kind, subject, first, name);
  claimed.set(kind, name);
}
