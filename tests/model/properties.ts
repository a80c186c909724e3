// The equivalences the model promises, as properties every valid declaration of a kind must hold
// (used by tests/model/*.property.test.ts): a canonical form is a fixed point; a declaration never
// differs from its own canonical form; the order of targets and the case of object ids change
// neither the canonical form nor the diff; and a real change is a difference.
import fc from "fast-check";
import {
  describeChanges,
  diffResult,
  normalizeArgs,
  type ResourceKind,
} from "../../provider/model";
import { RUNS, canonical, like, order, rewritten, valid } from "./arbitraries";
import { expect } from "./support";

type Props = Record<string, unknown>;

export function canonicalFormProperties(
  kind: Exclude<ResourceKind, "PilotGroup">,
  declarations: fc.Arbitrary<Props>,
  /** Ways to make another valid declaration that differs in `property` (a top-level argument). */
  changes: readonly Change[],
): void {
  const arbitrary = valid(kind, declarations);

  it("normalizing twice is normalizing once, and the canonical form is itself valid", () => {
    fc.assert(
      fc.property(arbitrary, (args) => {
        const once = canonical(kind, args);
        expect(normalizeArgs(kind, like(kind, once))).to.deep.equal(once);
        expect(canonical(kind, once)).to.deep.equal(once);
      }),
      RUNS,
    );
  });

  it("no diff without a change: a declaration against its canonical form, either way, and as the engine diffs", () => {
    fc.assert(
      fc.property(arbitrary, (args) => {
        const once = canonical(kind, args);
        expect(describeChanges(kind, like(kind, args), like(kind, once))).to.deep.equal([]);
        expect(describeChanges(kind, like(kind, once), like(kind, args))).to.deep.equal([]);
        const outcome = diffResult(
          kind,
          { ...once, __provider: "provider-v1" },
          { ...canonical(kind, args), __provider: "provider-v2" },
        );
        expect(outcome.changes, JSON.stringify(outcome.propertyChanges)).to.equal(false);
      }),
      RUNS,
    );
  });

  it("target order and object id case change neither the canonical form nor the diff", () => {
    fc.assert(
      fc.property(arbitrary, order, fc.boolean(), (args, permutation, upper) => {
        const other = rewritten(args, permutation, upper);
        expect(canonical(kind, other)).to.deep.equal(canonical(kind, args));
        expect(describeChanges(kind, like(kind, other), like(kind, args))).to.deep.equal([]);
        expect(
          diffResult(kind, { ...canonical(kind, args) }, { ...canonical(kind, other) }).changes,
        ).to.equal(false);
      }),
      RUNS,
    );
  });

  it("a real change is a difference, named by its property", () => {
    fc.assert(
      fc.property(arbitrary, fc.constantFrom(...changes), (args, change) => {
        const changed = change(args);
        expect(changed.args).not.to.deep.equal(args);
        const changes = describeChanges(kind, like(kind, changed.args), like(kind, args));
        expect(changes.map((c) => c.property.split(/[.[]/, 1)[0])).to.include(changed.property);
        const outcome = diffResult(kind, canonical(kind, args), canonical(kind, changed.args));
        expect(outcome.changes).to.equal(true);
        expect(outcome.stables).not.to.include(changed.property);
      }),
      RUNS,
    );
  });
}

export type Change = (args: Props) => { args: Props; property: string };

/** Flips enabled and disabled (Microsoft managed becomes enabled). */
export function otherState(args: Props): { args: Props; property: string } {
  return {
    args: { ...args, state: args.state === "enabled" ? "disabled" : "enabled" },
    property: "state",
  };
}

/** One exclusion fewer, or one more (a fixed id no generated target has). */
export function otherExclusions(args: Props): { args: Props; property: string } {
  const excluded = (args.excludeTargets as Props[] | undefined) ?? [];
  return {
    args: {
      ...args,
      excludeTargets:
        excluded.length > 0
          ? excluded.slice(1)
          : [{ id: "0e5b9c1d-2f3a-4b5c-8d6e-7f8091a2b3c4", targetType: "group" }],
    },
    property: "excludeTargets",
  };
}
