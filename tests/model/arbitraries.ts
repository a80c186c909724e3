// fast-check arbitraries for the property tests (tests/model/*.property.test.ts): valid declarations
// of the three singletons, and the ways of writing one declaration differently that must not count
// as a change (targets in another order, object ids in another case).
import fc from "fast-check";
import { checkArgs, type LikeByKind, type ResourceKind, validateArgs } from "../../provider/model";

type Props = Record<string, unknown>;

/** Runs per property: enough to meet the combinations, a few seconds for the whole file. */
export const RUNS = { numRuns: 300 };

const guid = fc.uuid();
/** A target: a user or group by object id, or the all_users group. */
const target = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ id: "all_users", targetType: "group" as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      id: guid,
      targetType: fc.constantFrom("user" as const, "group" as const),
    }),
  },
);
const excludeTarget = fc.record({
  id: guid,
  targetType: fc.constantFrom("user" as const, "group" as const),
});

/** Targets with distinct ids (case-insensitively). */
function uniqueTargets<T extends { id: string }>(
  item: fc.Arbitrary<T>,
  minLength: number,
  maxLength: number,
): fc.Arbitrary<T[]> {
  return fc.uniqueArray(item, { minLength, maxLength, selector: (t) => t.id.toLowerCase() });
}

/** Includes and excludes that never name the same object (the resources refuse both). */
function includesAndExcludes<I extends { id: string }>(
  include: fc.Arbitrary<I>,
): fc.Arbitrary<{ includeTargets: I[]; excludeTargets: { id: string; targetType: string }[] }> {
  return fc
    .tuple(uniqueTargets(include, 1, 4), uniqueTargets(excludeTarget, 0, 3))
    .map(([includeTargets, excludes]) => ({
      includeTargets,
      excludeTargets: excludes.filter(
        (e) => !includeTargets.some((i) => i.id.toLowerCase() === e.id.toLowerCase()),
      ),
    }));
}

/** Optional keys: present with a value, or absent (never `undefined`, which Pulumi drops). */
function optional<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined });
}
function withoutUndefined(value: Props): Props {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

const method = fc.constantFrom("microsoftAuthenticator", "fido2");

export const campaignArgs: fc.Arbitrary<Props> = fc
  .record({
    state: fc.constantFrom("enabled", "disabled", "default"),
    targetedAuthenticationMethod: optional(method),
    snoozeDurationInDays: optional(fc.integer({ min: 0, max: 14 })),
    enforceRegistrationAfterAllowedSnoozes: optional(fc.boolean()),
    targets: includesAndExcludes(target),
    passkeyMigrationOptOut: optional(fc.boolean()),
    onDelete: optional(fc.constantFrom("restore", "retain")),
  })
  .map(({ targets, ...rest }) => {
    // Microsoft managed: the method and the snooze settings are Microsoft's (refused if declared).
    const managed = rest.state === "default";
    return withoutUndefined({
      ...rest,
      ...(managed
        ? {
            targetedAuthenticationMethod: undefined,
            snoozeDurationInDays: undefined,
            enforceRegistrationAfterAllowedSnoozes: undefined,
          }
        : {}),
      ...targets,
    });
  });

const featureTarget = fc.record({
  id: guid,
  targetType: fc.constantFrom("group", "administrativeUnit", "role"),
});
const featureSetting = fc
  .record({
    state: fc.constantFrom("default", "enabled", "disabled"),
    includeTarget: optional(
      fc.oneof(fc.constant({ id: "all_users", targetType: "group" }), featureTarget),
    ),
    excludeTarget: optional(featureTarget),
  })
  .map(withoutUndefined);

export const authenticatorArgs: fc.Arbitrary<Props> = fc
  .record({
    state: fc.constantFrom("enabled", "disabled"),
    targets: includesAndExcludes(
      fc
        .tuple(
          target,
          optional(fc.constantFrom("any", "push", "deviceBasedPush")),
          optional(fc.boolean()),
        )
        .map(([t, authenticationMode, isRegistrationRequired]) =>
          withoutUndefined({ ...t, authenticationMode, isRegistrationRequired }),
        ) as fc.Arbitrary<{ id: string }>,
    ),
    isSoftwareOathEnabled: optional(fc.boolean()),
    featureSettings: optional(
      fc
        .record({
          displayAppInformationRequiredState: optional(featureSetting),
          displayLocationInformationRequiredState: optional(featureSetting),
          companionAppAllowedState: optional(featureSetting),
        })
        .map(withoutUndefined),
    ),
    onDelete: optional(fc.constantFrom("restore", "retain")),
  })
  .map(({ targets, ...rest }) => withoutUndefined({ ...rest, ...targets }));

const profileName = fc.constantFrom("Default passkey profile", "Synced", "Device-bound", "Admins");

const passkeyProfile = fc
  .record({
    name: profileName,
    passkeyTypes: fc.uniqueArray(fc.constantFrom("deviceBound", "synced"), {
      minLength: 1,
      maxLength: 2,
    }),
    attestationEnforcement: optional(fc.constantFrom("disabled", "registrationOnly")),
    keyRestrictions: optional(
      fc.record({
        enforcementType: fc.constantFrom("allow", "block"),
        aaGuids: fc.uniqueArray(guid, {
          minLength: 1,
          maxLength: 3,
          selector: (g) => g.toLowerCase(),
        }),
      }),
    ),
  })
  // Synced passkeys cannot be attested: registrationOnly goes with device-bound passkeys only.
  .map((profile) =>
    withoutUndefined({
      ...profile,
      attestationEnforcement:
        profile.passkeyTypes.includes("synced") &&
        profile.attestationEnforcement === "registrationOnly"
          ? "disabled"
          : profile.attestationEnforcement,
    }),
  );

export const passkeyArgs: fc.Arbitrary<Props> = fc
  .option(fc.uniqueArray(passkeyProfile, { minLength: 1, maxLength: 3, selector: (p) => p.name }), {
    nil: undefined,
  })
  .chain((passkeyProfiles) => {
    const names = (passkeyProfiles ?? []).map((p) => p.name as string);
    // Targets allow declared profiles by name (at least one), or leave the default to the tenant.
    const allowed: fc.Arbitrary<string[] | undefined> =
      names.length > 0
        ? optional(fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 2 }))
        : fc.constant(undefined);
    return fc.record({
      state: fc.constantFrom("enabled", "disabled"),
      isSelfServiceRegistrationAllowed: optional(fc.boolean()),
      passkeyProfiles: fc.constant(passkeyProfiles),
      targets: includesAndExcludes(
        fc
          .tuple(target, optional(fc.boolean()), allowed)
          .map(([t, isRegistrationRequired, allowedPasskeyProfiles]) =>
            withoutUndefined({ ...t, isRegistrationRequired, allowedPasskeyProfiles }),
          ) as fc.Arbitrary<{ id: string }>,
      ),
      onDelete: optional(fc.constantFrom("restore", "retain")),
    });
  })
  .map(({ targets, ...rest }) => withoutUndefined({ ...rest, ...targets }));

/** Only declarations the resource accepts (what check() lets through); the rest are not the point. */
export function valid(kind: ResourceKind, arbitrary: fc.Arbitrary<Props>): fc.Arbitrary<Props> {
  return arbitrary.filter((args) => validateArgs(kind, args).length === 0);
}

/** The canonical inputs check() hands the engine. */
export function canonical<K extends ResourceKind>(kind: K, args: Props): Props {
  const outcome = checkArgs(kind, args);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.inputs as unknown as Props;
}

export function like<K extends ResourceKind>(_kind: K, props: Props): LikeByKind[K] {
  return props as unknown as LikeByKind[K];
}

/**
 * The same declaration written differently: every target list in another order (from the seed)
 * and every object id in upper case where `upper` says so.
 */
export function rewritten(args: Props, order: number[], upper: boolean): Props {
  const caseOf = (id: unknown) =>
    typeof id === "string" && id !== "all_users" && upper ? id.toUpperCase() : id;
  const shuffle = <T>(list: T[]): T[] =>
    list
      .map((item, i) => ({ item, key: order[i % order.length] ?? i }))
      .sort((a, b) => a.key - b.key)
      .map(({ item }) => item);
  const retarget = (list: unknown) =>
    Array.isArray(list)
      ? shuffle(
          (list as Props[]).map((t) => ({
            ...t,
            id: caseOf(t.id),
            ...(Array.isArray(t.allowedPasskeyProfiles)
              ? { allowedPasskeyProfiles: shuffle([...(t.allowedPasskeyProfiles as string[])]) }
              : {}),
          })),
        )
      : list;
  const out: Props = { ...args };
  for (const name of ["includeTargets", "excludeTargets"]) {
    if (name in out) out[name] = retarget(out[name]);
  }
  if (Array.isArray(out.passkeyProfiles)) {
    out.passkeyProfiles = shuffle(
      (out.passkeyProfiles as Props[]).map((p) => ({
        ...p,
        passkeyTypes: shuffle([...(p.passkeyTypes as string[])]),
        ...(p.keyRestrictions
          ? {
              keyRestrictions: {
                ...(p.keyRestrictions as Props),
                aaGuids: shuffle(
                  ((p.keyRestrictions as Props).aaGuids as string[]).map(
                    (g) => caseOf(g) as string,
                  ),
                ),
              },
            }
          : {}),
      })),
    );
  }
  return out;
}

/** An order for `rewritten`: a permutation key per position. */
export const order = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 });
