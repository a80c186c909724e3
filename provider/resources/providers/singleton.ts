// The lifecycle both tenant-wide singletons share (the registration campaign and the Microsoft
// Authenticator configuration). Dynamic resources cannot be imported, so create adopts: it reads
// the tenant's settings, keeps them as `originalSettings`, and applies the declaration only where
// it differs (adopting identical settings writes nothing). Delete restores `originalSettings`
// unless `onDelete: "retain"`. The id holds the tenant id; a stack pointed at another tenant fails
// its preview (model/changes.ts TenantSwitchError), nothing written to either tenant.
//
// Settings changed outside the stack (another stack, a script, the portal) are never overwritten
// silently: a create that replaces what it adopts warns old → new, and so does an update that
// replaces values changed since the stack last applied or refreshed them; with
// `failOnExternalChange: true` such an update fails before any write (model/externalChange.ts).
// A stack about to adopt a singleton that another stack of the backend already manages on the same
// tenant is refused at preview, before any Graph call (otherStacks.ts, model/sharedSingleton.ts).
import type * as pulumi from "@pulumi/pulumi";
import {
  checkArgs,
  describeChanges,
  InputValidationError,
  restorePlan,
  type JsonValue,
  type RestorePlan,
  declaredTargets,
  missingTargetProblems,
  newTargets,
  targetTypeProblems,
  describeOverwrites,
  diffResult,
  ExternalChangeError,
  parseArgs,
  PROVIDER_ONLY_ARGUMENTS,
  toCheckFailures,
  UPDATE_SETTING_ARGUMENTS,
  type GraphVersion,
  type InputsByKind,
  type PropertyChange,
  type DeclaredTarget,
  type SettingsByKind,
  type TargetObject,
  type ValidationProblem,
} from "../../model";
import {
  GROUP_READ as GROUP_MEMBER_READ,
  GraphRequestError,
  lookUpPrincipals,
  USER_READ,
  nothingChanged,
  writeMayHaveHappened,
  type GraphClient,
} from "../../graph";
import type { LiveSingleton, SingletonKind } from "../../live";
import {
  adoptionWarning,
  collectObjectTypes,
  externalChangeWords,
  idsInChange,
  lookUpNames,
  overwriteWarning,
  propertyWords,
  targetWords,
  valueWords,
  type Names,
  type ObjectTypes,
} from "../../render";
import * as context from "./processSession";
import { argumentsOf, PROVIDER_KEY, withoutProvider } from "./props";
import { readUntilSettled, REPLICATION_WAITS_SECONDS } from "./replication";
import { refuseIfManagedElsewhere } from "./otherStacks";
import { tenantMove, warnNotDeleted, warnNotRead } from "./tenant";

/** Waits before each re-read that confirms an external change (the first read is done already). */
const STALE_READ_RECHECK_SECONDS = REPLICATION_WAITS_SECONDS.slice(1);

/** A singleton's read (provider/live) with what its lifecycle adds: its id, words and write. */
export interface SingletonSpec<K extends SingletonKind> extends LiveSingleton<K> {
  /** The id's second part: "<tenant id>/<name>". */
  name: string;
  /** What the resource manages, in words, for messages: "the registration campaign". */
  subject: string;
  /**
   * Writes the settings and answers what Graph stored. `before` is what was read just before the
   * write, when the caller needs the answer (a delete does not: it passes none).
   */
  write(
    graph: GraphClient,
    settings: SettingsByKind[K],
    version: GraphVersion,
    before?: SettingsByKind[K],
  ): Promise<SettingsByKind[K]>;
  /** Warnings about valid inputs, shown by check() (at every preview and update). */
  warnings?(inputs: InputsByKind[K], today: Date): string[];
  /**
   * What the declaration does to weaken the policy compared with `before` (what the stack applied,
   * or the tenant's settings on adoption), in words: warned at preview (diff) and on adoption.
   */
  weakenings?(before: SettingsByKind[K] | Outputs<K>, after: InputsByKind[K]): string[];
  /**
   * Checks that read the tenant (check() runs at every preview and again before create or
   * update): failures stop the resource before anything is written. `olds` are the previous
   * inputs of an update, {} for a create.
   */
  checkWithTenant?(
    inputs: Record<string, unknown>,
    olds: Record<string, unknown>,
  ): Promise<{ property: string; reason: string }[]>;
}

/** The outputs of a singleton: its managed settings as Graph holds them, plus the lifecycle data. */
export type Outputs<K extends SingletonKind> = InputsByKind[K] & {
  tenantId: string;
  originalSettings: SettingsByKind[K];
};

/** What lives in Graph: the inputs without the provider-only arguments. */
function settingsOf<K extends SingletonKind>(inputs: InputsByKind[K]): SettingsByKind[K] {
  const settings: Record<string, unknown> = { ...inputs };
  for (const name of [...PROVIDER_ONLY_ARGUMENTS, ...UPDATE_SETTING_ARGUMENTS]) {
    delete settings[name];
  }
  return settings as unknown as SettingsByKind[K];
}

/** The arguments the provider keeps beside the settings (onDelete always; strictEligibility and failOnExternalChange when declared). */
function providerOnlyOf(inputs: object): Record<string, unknown> {
  const values = inputs as Record<string, unknown>;
  // failOnExternalChange too: it is kept in the outputs (never compared, never sent) only so that a
  // refresh can hand it back with the inputs. Left out, the engine showed a refresh as
  // `[diff: -failOnExternalChange~snoozeDurationInDays]`, as if the declaration had dropped it.
  return Object.fromEntries(
    [...PROVIDER_ONLY_ARGUMENTS, ...UPDATE_SETTING_ARGUMENTS]
      .filter((name) => values[name] !== undefined)
      .map((name) => [name, values[name]]),
  );
}

/** Adds to a snapshot what it lacks (a property the declaration started to manage later). */
function fillMissing<T>(snapshot: T, before: T): T {
  if (typeof snapshot !== "object" || snapshot === null || Array.isArray(snapshot)) return snapshot;
  const merged: Record<string, unknown> = { ...(snapshot as Record<string, unknown>) };
  for (const [key, value] of Object.entries(before as Record<string, unknown>)) {
    merged[key] = key in merged ? fillMissing(merged[key], value) : value;
  }
  return merged as T;
}

/**
 * What is wrong with the declared targets: ids that name no user or group of the tenant
 * (missingTargetProblems), and targets whose targetType is not what their id is, a group declared
 * as a user above all in excludeTargets (targetTypeProblems). One batched lookup of the ids; with
 * `waitForMissing` (before a write: a group created moments ago in the same program may not have
 * replicated yet, graph-contract §4.8) ids not found are looked up again while replication may
 * still bring them. Without the permission to read users and groups, nothing is checked: a warning
 * says so and the answer is no problem.
 */
async function targetProblems(
  graph: GraphClient,
  kind: SingletonKind,
  inputs: Record<string, unknown>,
  targets: readonly DeclaredTarget[],
  waitForMissing: boolean,
  found = new Map<string, TargetObject>(),
): Promise<ValidationProblem[]> {
  if (targets.length === 0) return [];
  const ids = [...new Set(targets.map((target) => target.id))];
  try {
    // Each id is looked up first as the kind it is declared (targets declared as what they are
    // cost one round trip), then as the other kind.
    const groups = targets.filter((target) => target.targetType === "group").map((t) => t.id);
    await readUntilSettled(
      async () => {
        const missing = ids.filter((id) => !found.has(id));
        const answer = await lookUpPrincipals(
          graph,
          { objectIds: missing, userPrincipalNames: [] },
          { likelyGroups: groups },
        );
        for (const [id, object] of answer) found.set(id, object);
        return ids.every((id) => found.has(id));
      },
      (complete) => complete || !waitForMissing,
    );
  } catch (err) {
    if (!(err instanceof GraphRequestError) || err.kind !== "forbidden") throw err;
    context.warn(
      `${kind}: whether each target is an existing user or group of the type declared was not checked: ` +
        `reading them needs the application permissions ${USER_READ} (users) and ${GROUP_MEMBER_READ} (groups). ${err.message}`,
    );
    return [];
  }
  const lists = inputs as Parameters<typeof targetTypeProblems>[0];
  return [
    ...missingTargetProblems(targets, found, await context.tenantId()),
    ...targetTypeProblems(
      { includeTargets: lists.includeTargets, excludeTargets: lists.excludeTargets },
      found,
    ),
  ];
}

/**
 * The display names of the users and groups `changes` name, for words ("Emergency Access
 * Accounts"); the settings tell which ids are users and which groups. Only for words: without
 * the permission to read them, or when the lookup fails, the ids stand for themselves.
 */
async function targetNames(
  graph: GraphClient,
  changes: readonly PropertyChange[],
  settings: readonly unknown[],
  found: ReadonlyMap<string, TargetObject>,
): Promise<Names> {
  const types: ObjectTypes = new Map();
  for (const value of settings) collectObjectTypes(value, types);
  // The declared targets were just looked up (refuseBadTargets): only the others are read.
  const known = new Map<string, string>();
  for (const [id, object] of found) {
    const name = object.displayName ?? object.userPrincipalName;
    if (name) known.set(id.toLowerCase(), name);
  }
  try {
    return await lookUpNames(graph, changes.flatMap(idsInChange), types, known);
  } catch (err) {
    if (err instanceof GraphRequestError) return new Map();
    throw err;
  }
}

/**
 * Refuses, before the first write of a create or update, targets that are not what they say;
 * answers the users and groups it found. Only the targets the tenant does not hold already
 * (`current`, its settings as just read) are checked: one it holds (a group deleted since it was
 * targeted, kept by an exported or adopted declaration) is not made worse by the write, and
 * refusing it would make such settings impossible to adopt as they are.
 */
async function refuseBadTargets(
  graph: GraphClient,
  kind: SingletonKind,
  inputs: object,
  current: object,
): Promise<Map<string, TargetObject>> {
  const record = inputs as Record<string, unknown>;
  const found = new Map<string, TargetObject>();
  const added = newTargets(
    declaredTargets(record),
    declaredTargets(current as Record<string, unknown>),
  );
  const problems = await targetProblems(graph, kind, record, added, true, found);
  if (problems.length > 0) throw new InputValidationError(kind, problems);
  return found;
}

/** The destroy warning: each property left as found, and its value, in words. */
function leftAsFoundWarning<K extends SingletonKind>(
  spec: SingletonSpec<K>,
  plan: RestorePlan<SettingsByKind[K]>,
): string {
  const names = new Map<string, string>();
  const words = (property: string, value: JsonValue): string => {
    if (!Array.isArray(value)) return valueWords(spec.kind, property, value, names);
    return value.length === 0 ? "(none)" : value.map((item) => targetWords(item, names)).join("; ");
  };
  const left = plan.left.map(
    (entry) =>
      `${propertyWords(spec.kind, entry.property, names)}: ${words(entry.property, entry.value)}`,
  );
  const restored = plan.restored.map((property) => propertyWords(spec.kind, property, names));
  return (
    `${spec.kind}: destroy left ${left.length === 1 ? "this setting" : "these settings"} of ${spec.subject} as found, ` +
    `because someone else (another stack, the portal, a script or Microsoft) changed ${left.length === 1 ? "it" : "them"} since this stack last applied ${left.length === 1 ? "it" : "them"}: ` +
    `${left.join("; ")}. ` +
    (restored.length > 0
      ? `Restored to the settings found on adoption: ${restored.join(", ")}.`
      : `Nothing else needed restoring.`)
  );
}

export function singletonProvider<K extends SingletonKind>(
  spec: SingletonSpec<K>,
): pulumi.dynamic.ResourceProvider {
  const outputs = (
    stored: SettingsByKind[K],
    inputs: InputsByKind[K],
    tenantId: string,
    originalSettings: SettingsByKind[K],
  ): Outputs<K> =>
    ({
      ...spec.managed(stored, inputs),
      ...providerOnlyOf(inputs),
      tenantId,
      originalSettings,
    }) as unknown as Outputs<K>;

  /**
   * The settings read again after a failed write, repeated while they do not show `written` (a
   * read right after a write may answer the old settings, §4.8: ~5 s observed on policies).
   * Undefined when they cannot be read.
   */
  async function readBack(
    graph: GraphClient,
    version: GraphVersion,
    written: InputsByKind[K] | SettingsByKind[K],
  ): Promise<SettingsByKind[K] | undefined> {
    try {
      return await readUntilSettled(
        () => spec.read(graph, version),
        (now) => describeChanges(spec.kind, written as never, now as never).length === 0,
      );
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the declared settings. When the write fails, its answer may have been lost with the
   * write carried out (a timeout, a reset, retries run out): the settings are read back and the
   * error carries them as the resource's state (the engine records `id` and `properties`), so the
   * state never claims settings the tenant no longer has, and a create keeps the settings it found
   * as originalSettings for destroy. A read right after a write may still answer the old settings
   * (§4.8, ~5 s on policies), so it is repeated while it does not show the write.
   */
  async function writeOrRecord(
    graph: GraphClient,
    inputs: InputsByKind[K],
    version: GraphVersion,
    before: SettingsByKind[K],
    record: {
      id: string;
      tenantId: string;
      originalSettings: SettingsByKind[K];
      provider: unknown;
    },
  ): Promise<SettingsByKind[K]> {
    try {
      return await spec.write(graph, settingsOf(inputs), version, before);
    } catch (err) {
      // Graph refused the write (a 4xx, 429, no token): nothing was written, and a plain error
      // leaves the state as it was. Otherwise the write may have been carried out: read first.
      if (!writeMayHaveHappened(err)) throw err;
      const now = await readBack(graph, version, inputs);
      if (!now) throw err;
      // Read back as it was before (5xx beyond the retries, a lost answer to a write never
      // carried out): a plain error too. A partial result would record the new inputs with init
      // errors, and every later preview would show an update with no property in it.
      if (describeChanges(spec.kind, before as never, now as never).length === 0) {
        throw nothingChanged(err, `${spec.subject} holds the settings from before`);
      }
      const message = (err as Error).message;
      throw Object.assign(new Error(message), {
        id: record.id,
        properties: {
          ...outputs(now, inputs, record.tenantId, record.originalSettings),
          [PROVIDER_KEY]: record.provider,
        },
        reasons: [message],
      });
    }
  }

  return {
    async check(olds, news) {
      const graph = context.graph(); // settings problems (a China cloud, a bad endpoint) fail before any write
      const outcome = checkArgs(spec.kind, withoutProvider(news));
      if (!outcome.ok) return { inputs: news, failures: toCheckFailures(outcome.problems) };
      // One stack per tenant singleton: about to adopt it (a create), the other stacks of the
      // backend are asked first, before any Graph call (otherStacks.ts); updates never ask.
      if (Object.keys(withoutProvider(olds ?? {})).length === 0) {
        await refuseIfManagedElsewhere(spec.kind, spec.subject, () => context.tenantId());
      }
      // Targets must exist, at preview: only the ids this declaration adds are looked up (one
      // batched request), so a preview with no new target sends nothing to Graph. Ids unknown
      // until apply are checked again before the first write (create, update).
      const inputs = outcome.inputs as Record<string, unknown>;
      const added = newTargets(declaredTargets(inputs), declaredTargets(olds));
      let wrong = await targetProblems(graph, spec.kind, inputs, added, false);
      if (wrong.length > 0) {
        // A target the tenant holds already (a group deleted since it was targeted, kept by an
        // exported or adopting declaration) is not added by this declaration: only the rest must
        // exist. Read only on this path, so a preview whose targets all exist reads nothing more.
        const parsed = outcome.inputs as InputsByKind[K];
        const current = await spec.read(graph, spec.version(settingsOf(parsed)));
        const kept = newTargets(
          added,
          declaredTargets(current as unknown as Record<string, unknown>),
        );
        const held = new Set(
          added.filter((target) => !kept.includes(target)).map((target) => target.path),
        );
        wrong = wrong.filter((problem) => !held.has(problem.property));
      }
      if (wrong.length > 0) return { inputs: news, failures: toCheckFailures(wrong) };
      for (const message of spec.warnings?.(outcome.inputs as InputsByKind[K], new Date()) ?? []) {
        context.warn(`${spec.kind}: ${message}`);
      }
      const failures = (await spec.checkWithTenant?.(inputs, withoutProvider(olds ?? {}))) ?? [];
      return failures.length > 0 ? { inputs, failures } : { inputs };
    },

    async diff(_id, olds, news) {
      const current = await context.tenantId();
      const { changes, replaces, deleteBeforeReplace, stables } = diffResult(
        spec.kind,
        olds,
        news,
        { prior: olds.tenantId as string | undefined, current },
      );
      const before = olds as unknown as Outputs<K>;
      for (const weakening of spec.weakenings?.(before, news as InputsByKind[K]) ?? []) {
        context.warn(`${spec.kind}: this change weakens the policy. ${weakening}`);
      }
      return { changes, replaces, deleteBeforeReplace, stables };
    },

    async create(props) {
      const inputs = parseArgs(spec.kind, withoutProvider(props));
      const graph = context.graph();
      const tenantId = await context.tenantId();
      const version = spec.version(settingsOf(inputs));
      const original = await spec.read(graph, version);
      const changes = describeChanges(spec.kind, inputs, original);
      for (const weakening of spec.weakenings?.(original, inputs) ?? []) {
        context.warn(`${spec.kind}: adopting ${spec.subject} weakens it. ${weakening}`);
      }
      // Adopting settings someone else wrote (another stack, the portal) and replacing them is
      // never silent. failOnExternalChange does not apply: everything adopted is external.
      if (changes.length > 0) {
        const found = await refuseBadTargets(graph, spec.kind, inputs, original);
        const names = await targetNames(graph, changes, [inputs, original], found);
        context.warn(adoptionWarning(spec.kind, spec.subject, changes, names, inputs.onDelete));
      }
      const stored =
        changes.length > 0
          ? await writeOrRecord(graph, inputs, version, original, {
              id: `${tenantId}/${spec.name}`,
              tenantId,
              originalSettings: original,
              provider: props[PROVIDER_KEY],
            })
          : original;
      return {
        id: `${tenantId}/${spec.name}`,
        outs: outputs(stored, inputs, tenantId, original),
      };
    },

    async read(id, props) {
      // The settings first: a stack whose settings are wrong hears that, whatever its state holds.
      const graph = context.graph();
      const recorded = props as unknown as Outputs<K>;
      const move = await tenantMove(props);
      if (move) {
        warnNotRead(spec.kind, id, `${spec.subject} was adopted`, move);
        return { id, props };
      }
      const declared = parseArgs(spec.kind, argumentsOf(spec.kind, props));
      const actual = await spec.read(graph, spec.version(settingsOf(declared)));
      const managed = spec.managed(actual, declared);
      return {
        id,
        props: { ...recorded, ...managed },
        inputs: { ...managed, ...providerOnlyOf(declared) },
      };
    },

    async update(id, olds, news) {
      const recorded = olds as unknown as Outputs<K>;
      const inputs = parseArgs(spec.kind, withoutProvider(news));
      const graph = context.graph();
      const version = spec.version(settingsOf(inputs));
      let actual = await spec.read(graph, version);
      let overwrites = describeOverwrites(spec.kind, recorded, actual, inputs);
      if (overwrites.length > 0 && inputs.failOnExternalChange === true) {
        // A read soon after a write may still answer the settings from before it (graph-contract
        // §4.8: ~5 s observed on policies), which would look like an external change: before
        // failing, re-read until the difference has outlived that window.
        actual = await readUntilSettled(
          () => spec.read(graph, version),
          (now) => describeOverwrites(spec.kind, recorded, now, inputs).length === 0,
          STALE_READ_RECHECK_SECONDS,
        );
        overwrites = describeOverwrites(spec.kind, recorded, actual, inputs);
      }
      if (overwrites.length > 0 && inputs.failOnExternalChange === true) {
        // Fail before any write, naming what changed outside: recorded (last applied) → live.
        const overwritten = new Set(overwrites.map((change) => change.property));
        const external = describeChanges(spec.kind, recorded, actual).filter((change) =>
          overwritten.has(change.property),
        );
        // What the update would have set: the program's own changes as well as the overwrites.
        const wouldSet = describeChanges(spec.kind, inputs, actual);
        const names = await targetNames(
          graph,
          [...external, ...wouldSet],
          [inputs, actual, recorded],
          new Map(),
        );
        throw new ExternalChangeError(
          spec.kind,
          external,
          wouldSet,
          externalChangeWords(spec.kind, external, wouldSet, names),
        );
      }
      if (overwrites.length > 0) {
        const names = await targetNames(graph, overwrites, [inputs, actual, recorded], new Map());
        context.warn(overwriteWarning(spec.kind, overwrites, names));
      }
      const writes = describeChanges(spec.kind, inputs, actual).length > 0;
      if (writes) await refuseBadTargets(graph, spec.kind, inputs, {});
      const stored = writes
        ? await writeOrRecord(graph, inputs, version, actual, {
            id,
            tenantId: recorded.tenantId,
            originalSettings: fillMissing(recorded.originalSettings, actual),
            provider: news[PROVIDER_KEY],
          })
        : actual;
      return {
        outs: outputs(
          stored,
          inputs,
          recorded.tenantId,
          fillMissing(recorded.originalSettings, actual),
        ),
      };
    },

    async delete(id, props) {
      const recorded = props as unknown as Outputs<K>;
      if (recorded.onDelete === "retain") return;
      const move = await tenantMove(props);
      if (move) {
        warnNotDeleted(
          spec.kind,
          id,
          spec.subject,
          "restored",
          move,
          `Its settings before adoption were: ${JSON.stringify(recorded.originalSettings)}.`,
        );
        return;
      }
      // Destroy never overwrites what it did not write: each property goes back to what was found
      // on adoption only where the tenant still holds what this stack last applied.
      const original = recorded.originalSettings;
      const graph = context.graph();
      const version = spec.version(original);
      const live = await spec.read(graph, version);
      const plan = restorePlan(spec.kind, recorded as never, original, live);
      if (plan.left.length > 0) context.warn(leftAsFoundWarning(spec, plan));
      if (plan.restored.length === 0) return;
      try {
        await spec.write(graph, plan.settings, version, live);
      } catch (err) {
        // The restore may have been carried out with its answer lost: if the tenant holds the
        // restored settings now, the resource is deleted; otherwise it stays in the state.
        const now = await readBack(graph, version, plan.settings);
        if (!now || describeChanges(spec.kind, plan.settings as never, now as never).length > 0) {
          throw err;
        }
      }
    },
  };
}
