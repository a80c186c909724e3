// What a singleton's destroy writes back (onDelete: "restore"), property by property.
import { ARGUMENTS, describeChanges } from "./changes";
import type { LikeByKind } from "./check";
import { toJson, type JsonValue } from "./compare";
import { PROVIDER_ONLY_ARGUMENTS, UPDATE_SETTING_ARGUMENTS } from "./defaults";
import type { ResourceKind, SettingsByKind } from "./types";

/** What a destroy writes back: per property, the original where the tenant still holds what the stack applied. */
export interface RestorePlan<S> {
  /** The settings to write: the live ones, with each restorable property set back to the original. */
  settings: S;
  /** The properties set back to what the resource found on adoption. */
  restored: string[];
  /** The properties left as found, because someone else changed them since (live values). */
  left: { property: string; value: JsonValue }[];
}

/**
 * Destroy never overwrites what it did not write. A property this stack manages is restored to
 * `original` only where the tenant still holds what the stack last applied (or refreshed):
 * `applied`, the recorded outputs. Where someone else changed it since (another stack, the portal,
 * Microsoft's migration of the campaign to passkeys), it is left as found and named. Properties the
 * stack does not manage are never written back.
 */
export function restorePlan<K extends ResourceKind>(
  kind: K,
  applied: LikeByKind[K],
  original: SettingsByKind[K],
  live: SettingsByKind[K],
): RestorePlan<SettingsByKind[K]> {
  const top = (property: string) => property.split(/[.[]/, 1)[0];
  const changedSince = new Set(describeChanges(kind, applied, live).map((c) => top(c.property)));
  const recorded = applied as unknown as Record<string, unknown>;
  const found = original as unknown as Record<string, unknown>;
  const now = live as unknown as Record<string, unknown>;
  const settings: Record<string, unknown> = { ...now };
  const restored: string[] = [];
  const left: RestorePlan<SettingsByKind[K]>["left"] = [];
  for (const property of ARGUMENTS[kind]) {
    if ((PROVIDER_ONLY_ARGUMENTS as readonly string[]).includes(property)) continue;
    if ((UPDATE_SETTING_ARGUMENTS as readonly string[]).includes(property)) continue;
    if (recorded[property] === undefined) continue;
    if (changedSince.has(property)) {
      left.push({ property, value: toJson(now[property] ?? null) });
    } else if (found[property] !== undefined) {
      settings[property] = found[property];
      if (
        describeChanges(kind, { ...now, [property]: found[property] } as never, live).length > 0
      ) {
        restored.push(property);
      }
    }
  }
  // What the write changes, all properties set back together: a campaign restored to Microsoft
  // managed ("default") does not write back the method or the snooze settings found, which are
  // Microsoft's then (campaign.ts, withoutMicrosoftManaged), so they are not named as restored.
  const written = new Set(
    describeChanges(kind, settings as never, live).map((change) => top(change.property)),
  );
  return {
    settings: settings as unknown as SettingsByKind[K],
    restored: restored.filter((property) => written.has(property)),
    left,
  };
}
