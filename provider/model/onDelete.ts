// `onDelete`, shared by the two singletons: what delete does to the tenant.
import { DEFAULT_ON_DELETE } from "./defaults";
import type { UnknownValue } from "./ids";
import type { OnDelete } from "./types";
import { checkEnum, type ProblemCollector } from "./validation";

export function checkOnDelete(collector: ProblemCollector, value: unknown): void {
  const retain = `is not valid. Did you mean "retain" (leave the tenant's settings as they are)? Use "restore" or "retain".`;
  const restore = `is not valid. Did you mean "restore" (put back the settings found when the resource was adopted)? Use "restore" or "retain".`;
  checkEnum(collector, "onDelete", value, {
    what: "onDelete behaviour",
    allowed: ["restore", "retain"],
    choices: `"restore" (put back the settings found when the resource was adopted) or "retain" (leave the tenant as it is)`,
    explained: {
      keep: retain,
      leave: retain,
      preserve: retain,
      revert: restore,
      reset: restore,
      rollback: restore,
    },
  });
}

export function onDeleteOrDefault(
  value: OnDelete | UnknownValue | undefined | null,
): OnDelete | UnknownValue {
  return value ?? DEFAULT_ON_DELETE;
}
