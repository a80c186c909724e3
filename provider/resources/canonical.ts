// The program registers each resource's arguments in the canonical form check() gives them
// (explicit defaults, lower-case ids, sorted targets, onDelete spelled out), not as written.
//
// `pulumi refresh --run-program` never calls check(): it compares the state's inputs (canonical)
// with the arguments the program registers (pulumi/pulumi pkg/resource/deploy/step_generator.go,
// the refresh step takes the goal's properties as they came from the program). Registered as
// written, every refresh with no change showed
// `[diff: -onDelete,targetedAuthenticationMethod~includeTargets]` beside "unchanged". check()
// still runs at every preview and update and gives the same canonical form back, so nothing else
// changes.
//
// Only when every value is known and none is secret: a value unknown during preview (the id of a
// group created by the same update) keeps the arguments as written, so that one unknown id does
// not make every argument unknown; a secret stays a secret of its own argument only.
import * as pulumi from "@pulumi/pulumi";
import { checkArgs, containsUnknown, type ResourceKind } from "../model";

type Props = Record<string, unknown>;

/** The outputs and promises among the arguments, at any depth of plain objects and lists. */
function pendingValues(value: unknown, found: pulumi.Output<unknown>[]): void {
  if (pulumi.Output.isInstance(value)) found.push(value);
  else if (value instanceof Promise) found.push(pulumi.output(value));
  else if (Array.isArray(value)) for (const item of value) pendingValues(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) pendingValues(item, found);
  }
}

/**
 * Whether an output's value is known. @pulumi/pulumi keeps it in `isKnown`, which its public types
 * leave out; an SDK without it reads as unknown, i.e. the arguments are registered as written.
 */
async function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
  const known = (output as unknown as { isKnown?: unknown }).isKnown;
  return known instanceof Promise ? (await known) === true : false;
}

function withoutUndefined(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
}

/**
 * The resource's props (arguments and the output names set to undefined) with each argument in
 * the canonical form check() gives it. Arguments check() refuses stay as written: check() then
 * names the problem, as before.
 */
export function canonicalProps(kind: ResourceKind, props: Props): Props {
  const pending: pulumi.Output<unknown>[] = [];
  pendingValues(props, pending);
  const canonical = (async () => {
    const [known, secret] = await Promise.all([
      Promise.all(pending.map(isKnown)),
      Promise.all(pending.map((output) => pulumi.isSecret(output))),
    ]);
    if (!known.every(Boolean) || secret.some(Boolean)) return undefined;
    return pulumi.all(props as Record<string, pulumi.Input<unknown>>).apply((resolved) => {
      const outcome = checkArgs(kind, withoutUndefined(resolved));
      const usable = outcome.ok && !containsUnknown(outcome.inputs);
      return { resolved, canonical: usable ? (outcome.inputs as Props) : undefined };
    });
  })();
  return Object.fromEntries(
    Object.keys(props).map((key) => [
      key,
      canonical.then((all) =>
        all === undefined
          ? props[key]
          : all.apply(({ resolved, canonical: inputs }) =>
              inputs === undefined ? resolved[key] : inputs[key],
            ),
      ),
    ]),
  );
}
