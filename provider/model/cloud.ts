// The national clouds the package supports, and the one it refuses: in Microsoft Entra operated by
// 21Vianet (China) neither the registration campaign nor the Microsoft Authenticator method
// configuration exists (graph-contract.md §7.5, graph-schema/national-clouds.json "Mooncake").
import {
  describeValue,
  InputValidationError,
  ProblemCollector,
  type ValidationProblem,
} from "./validation";

export type CloudName = "global" | "usgov" | "usgovdod";

export interface Cloud {
  name: CloudName;
  /** Graph root, without a version segment. */
  graphEndpoint: string;
  /** Entra sign-in authority. */
  authorityHost: string;
  /** The app-only token scope. */
  scope: string;
}

export const DEFAULT_CLOUD: CloudName = "global";

// graph-contract.md §0.1.
const CLOUDS = new Map<string, Cloud>(
  Object.entries({
    global: {
      name: "global",
      graphEndpoint: "https://graph.microsoft.com",
      authorityHost: "https://login.microsoftonline.com",
      scope: "https://graph.microsoft.com/.default",
    },
    usgov: {
      name: "usgov",
      graphEndpoint: "https://graph.microsoft.us",
      authorityHost: "https://login.microsoftonline.us",
      scope: "https://graph.microsoft.us/.default",
    },
    usgovdod: {
      name: "usgovdod",
      graphEndpoint: "https://dod-graph.microsoft.us",
      authorityHost: "https://login.microsoftonline.us",
      scope: "https://dod-graph.microsoft.us/.default",
    },
  } satisfies Record<CloudName, Cloud>),
);

const CHINA_NAMES = ["china", "azurechina", "azurechinacloud", "mooncake", "21vianet"];

const CHOICES = `"global" (the default), "usgov" (US Government L4, GCC High) or "usgovdod" (US Government L5, DoD)`;

/**
 * Problems with a cloud setting. Names are matched case-insensitively (they come from stack config
 * or an environment variable, not from Graph); empty means the default.
 */
export function validateCloud(value: unknown, property = "cloud"): ValidationProblem[] {
  const collector = new ProblemCollector();
  if (value === undefined || value === null) return collector.problems;
  if (typeof value !== "string") {
    collector.add(property, `${describeValue(value)} is not a string. Use ${CHOICES}.`);
    return collector.problems;
  }
  const name = value.trim().toLowerCase();
  if (name === "" || CLOUDS.has(name)) return collector.problems;
  if (CHINA_NAMES.includes(name)) {
    collector.add(
      property,
      `${describeValue(value)} (Microsoft Entra operated by 21Vianet) is not supported: the registration ` +
        `campaign and the Microsoft Authenticator method configuration APIs do not exist in Microsoft ` +
        `Entra operated by 21Vianet. Use "global", "usgov" or "usgovdod".`,
    );
    return collector.problems;
  }
  collector.add(property, `${describeValue(value)} is not a supported cloud. Use ${CHOICES}.`);
  return collector.problems;
}

/** The cloud for a setting (undefined or "" = global); throws InputValidationError otherwise. */
export function resolveCloud(value: string | undefined, property = "cloud"): Cloud {
  const problems = validateCloud(value, property);
  if (problems.length > 0) throw new InputValidationError("entra-nudge configuration", problems);
  const name = (value ?? "").trim().toLowerCase();
  const cloud = CLOUDS.get(name === "" ? DEFAULT_CLOUD : name);
  if (cloud === undefined)
    throw new Error(`Cloud "${name}" passed validation but has no endpoints.`);
  return { ...cloud };
}
