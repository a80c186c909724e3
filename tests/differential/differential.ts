// The differential check of the eligibility model against the emulator's sign-in rules (written
// independently from the contract, emulator/graph/signin.ts): on seeded random tenants (random
// method sets, guests, nested groups: emulator/generate.ts) and seeded random campaign /
// Authenticator / passkey configurations, the users the model predicts are nudged (to what, with
// which snooze days and limit) must be exactly the users the emulator prompts on a day everyone
// signs in with MFA (POST /_emulator/prompts). Used by tests/differential/differential.test.ts (a
// fixed slice) and `npm run differential` (scripts/differential.ts, hundreds of configurations).
//
// The configurations are written as raw Graph bodies built here from the random configuration,
// never through the product's own argument parsing or PATCH code: a product bug shared by the
// write and the read side (every excludeTargets dropped, say) would otherwise write a tenant that
// agrees with it, and pass. The product's code runs only where it is judged: the scan and the
// model's evaluation.
import type { RunningEmulator } from "../../emulator/index.js";
import { generateTenant } from "../../emulator/generate";
import { seededRandom } from "../../emulator/random";
import { scanTenant } from "../../provider/eligibility/scan";
import { evaluateUser } from "../../provider/model";
import { graphClient } from "../eligibility/support";
import { getToken, rawRequest } from "../support/emulator";

export interface Disagreement {
  seed: number;
  configuration: unknown;
  userId: string;
  model: string;
  emulator: string;
}

export function differentialTenant(seed: number) {
  return generateTenant({ users: 120, seed });
}

type CampaignState = "enabled" | "default" | "disabled";
type Method = "fido2" | "microsoftAuthenticator";
interface Target {
  id: string;
  targetType: "user" | "group";
}

/** A configuration of the three policies, as plain data (what the Graph bodies are built from). */
export interface DifferentialConfiguration {
  campaign: {
    state: CampaignState;
    /** Absent under state "default": Microsoft decides. */
    targetedAuthenticationMethod?: Method;
    includeTargets: Target[];
    excludeTargets: Target[];
    snoozeDurationInDays?: number;
    enforceRegistrationAfterAllowedSnoozes?: boolean;
  };
  authenticator: {
    state: "enabled" | "disabled";
    includeTargets: (Target & { authenticationMode: "any" | "push" | "deviceBasedPush" })[];
    excludeTargets: Target[];
  };
  passkey: {
    state: "enabled" | "disabled";
    isSelfServiceRegistrationAllowed: boolean;
    includeTargets: Target[];
    excludeTargets: Target[];
  };
}

/**
 * One random configuration of the three policies for the tenant, from the seed. Weighted towards
 * what the model finds hardest and tenants now meet most: Microsoft managed (state "default",
 * 45 %) and passkeys (the passkey configuration enabled 80 % of the time, a chosen method fido2
 * 60 %), with exclusions in most configurations.
 */
export function randomConfiguration(
  seed: number,
  groupIds: readonly string[],
  userIds: readonly string[],
): DifferentialConfiguration {
  const rng = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
  const weighted = <T>(choices: readonly [T, number][]): T => {
    let draw = rng();
    for (const [choice, weight] of choices) {
      if (draw < weight) return choice;
      draw -= weight;
    }
    return choices[choices.length - 1][0];
  };
  const target = (): Target =>
    rng() < 0.3
      ? { id: "all_users", targetType: "group" }
      : rng() < 0.85
        ? { id: pick(groupIds), targetType: "group" }
        : { id: pick(userIds), targetType: "user" };
  const targets = (n: number) => {
    const list = Array.from({ length: n }, target);
    return list.filter((t, i) => list.findIndex((o) => o.id === t.id) === i);
  };
  /** Exclusions that name none of the inclusions (the resources refuse both; exclusion wins). */
  const excluding = (included: readonly { id: string }[], share: number, groupsOnly = false) =>
    rng() < share
      ? targets(1 + Math.floor(rng() * 2)).filter(
          (t) =>
            t.id !== "all_users" &&
            (!groupsOnly || t.targetType === "group") &&
            !included.some((i) => i.id === t.id),
        )
      : [];
  const campaignState = weighted<CampaignState>([
    ["default", 0.45],
    ["enabled", 0.4],
    ["disabled", 0.15],
  ]);
  const campaignIncludes = targets(1 + Math.floor(rng() * 2));
  const campaign: DifferentialConfiguration["campaign"] = {
    state: campaignState,
    includeTargets: campaignIncludes,
    excludeTargets: excluding(campaignIncludes, 0.6),
  };
  if (campaignState !== "default")
    campaign.targetedAuthenticationMethod = rng() < 0.6 ? "fido2" : "microsoftAuthenticator";
  // Microsoft managed fixes its own snooze settings.
  if (campaignState === "enabled") {
    campaign.snoozeDurationInDays = pick([0, 1, 3, 14]);
    campaign.enforceRegistrationAfterAllowedSnoozes = rng() < 0.7;
  }
  const authenticatorIncludes = targets(1 + Math.floor(rng() * 2));
  const passkeyIncludes = targets(1 + Math.floor(rng() * 2)).filter(
    (t) => t.targetType === "group",
  );
  return {
    campaign,
    authenticator: {
      state: rng() < 0.75 ? "enabled" : "disabled",
      includeTargets: authenticatorIncludes.map((t) => ({
        ...t,
        authenticationMode: pick(["any", "push", "deviceBasedPush"] as const),
      })),
      excludeTargets: excluding(authenticatorIncludes, 0.4),
    },
    passkey: {
      state: rng() < 0.8 ? "enabled" : "disabled",
      isSelfServiceRegistrationAllowed: rng() < 0.8,
      includeTargets: passkeyIncludes,
      excludeTargets: excluding(passkeyIncludes, 0.4, true),
    },
  };
}

const POLICY = "/policies/authenticationMethodsPolicy";
const CONFIGURATIONS = `${POLICY}/authenticationMethodConfigurations`;

/** A Graph PATCH: version, path, the raw JSON body and the status Graph answers it with. */
export interface GraphWrite {
  version: "v1.0" | "beta";
  path: string;
  body: Record<string, unknown>;
  /** 204 for a method configuration, 200 (with the policy) for the policy (graph-contract.md §1.1, §3). */
  status: 200 | 204;
}

/**
 * The Graph writes that set the configuration, built from it alone (graph-contract.md §1.3, §3;
 * graph-contract-passkeys.md §3): the passkey and Authenticator configurations, then the campaign.
 * `profileId` is the tenant's default passkey profile, which every passkey target allows.
 */
export function graphWrites(
  configuration: DifferentialConfiguration,
  profileId: string,
): GraphWrite[] {
  const plain = ({ id, targetType }: Target) => ({ id, targetType });
  const { campaign, authenticator, passkey } = configuration;
  return [
    {
      version: "v1.0",
      path: `${CONFIGURATIONS}/Fido2`,
      status: 204,
      body: {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        state: passkey.state,
        isSelfServiceRegistrationAllowed: passkey.isSelfServiceRegistrationAllowed,
        includeTargets: passkey.includeTargets.map((t) => ({
          ...plain(t),
          isRegistrationRequired: false,
          allowedPasskeyProfiles: [profileId],
        })),
        excludeTargets: passkey.excludeTargets.map(plain),
      },
    },
    {
      version: "v1.0",
      path: `${CONFIGURATIONS}/MicrosoftAuthenticator`,
      status: 204,
      body: {
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
        state: authenticator.state,
        includeTargets: authenticator.includeTargets.map((t) => ({
          ...plain(t),
          authenticationMode: t.authenticationMode,
          isRegistrationRequired: false,
        })),
        excludeTargets: authenticator.excludeTargets.map(plain),
      },
    },
    {
      // enforceRegistrationAfterAllowedSnoozes exists on beta only.
      version: campaign.enforceRegistrationAfterAllowedSnoozes === undefined ? "v1.0" : "beta",
      path: POLICY,
      status: 200,
      body: {
        registrationEnforcement: {
          authenticationMethodsRegistrationCampaign: {
            state: campaign.state,
            ...(campaign.snoozeDurationInDays === undefined
              ? {}
              : { snoozeDurationInDays: campaign.snoozeDurationInDays }),
            ...(campaign.enforceRegistrationAfterAllowedSnoozes === undefined
              ? {}
              : {
                  enforceRegistrationAfterAllowedSnoozes:
                    campaign.enforceRegistrationAfterAllowedSnoozes,
                }),
            includeTargets: campaign.includeTargets.map((t) => ({
              ...plain(t),
              ...(campaign.targetedAuthenticationMethod === undefined
                ? {}
                : { targetedAuthenticationMethod: campaign.targetedAuthenticationMethod }),
            })),
            excludeTargets: campaign.excludeTargets.map(plain),
          },
        },
      },
    },
  ];
}

/** The model as the differential calls it: one user against the scanned tenant's policies. */
export type Evaluate = typeof evaluateUser;

/** A nudge as both sides state it: the method and its snooze rules (days, limit or unlimited). */
function nudgeKey(nudge: {
  method: string;
  snoozeDays: number;
  snoozeLimit: number | null;
}): string {
  return `${nudge.method} (snooze ${nudge.snoozeDays} d, ${nudge.snoozeLimit === null ? "unlimited" : `limit ${nudge.snoozeLimit}`})`;
}

/**
 * Writes the configuration (raw Graph bodies, as the writer app), then compares the model's nudged
 * users with the emulator's prompts. `evaluate` is the model under test (the product's, unless a
 * test hands in a deliberately broken one to show the check catches it).
 */
export async function compareOnce(
  emulator: RunningEmulator,
  seed: number,
  configuration: DifferentialConfiguration,
  evaluate: Evaluate = evaluateUser,
): Promise<{ disagreements: Disagreement[]; prompted: Record<string, number> }> {
  emulator.reset();
  const token = await getToken(emulator, "writer");
  const fido2 = await rawRequest(emulator, {
    path: `/v1.0${CONFIGURATIONS}/Fido2`,
    token,
  });
  const profiles = (fido2.json as { passkeyProfiles?: { id: string }[] }).passkeyProfiles ?? [];
  const profile = profiles[0]?.id ?? "00000000-0000-0000-0000-000000000001";
  for (const write of graphWrites(configuration, profile)) {
    const answer = await rawRequest(emulator, {
      method: "PATCH",
      path: `/${write.version}${write.path}`,
      token,
      body: write.body,
    });
    if (answer.status !== write.status)
      throw new Error(
        `PATCH /${write.version}${write.path} answered ${answer.status} for seed ${seed}: ${answer.text.slice(0, 500)}`,
      );
  }
  const scan = await scanTenant(graphClient(emulator, "reader", { reportRateLimit: null }));
  const predicted = new Map<string, string>();
  for (const user of scan.users) {
    const outcome = evaluate(user, scan.current);
    predicted.set(user.id, outcome.nudged ? nudgeKey(outcome) : `not: ${outcome.reason}`);
  }
  const forecast = emulator.forecastPrompts().prompted;
  const prompted = new Map(forecast.map((p) => [p.id.toLowerCase(), nudgeKey(p)]));
  const disagreements: Disagreement[] = [];
  for (const [userId, model] of predicted) {
    const witness = prompted.get(userId) ?? "not prompted";
    const modelSays = model.startsWith("not: ") ? "not prompted" : model;
    if (witness !== modelSays)
      disagreements.push({ seed, configuration, userId, model, emulator: witness });
  }
  for (const [userId, method] of prompted) {
    if (!predicted.has(userId))
      disagreements.push({
        seed,
        configuration,
        userId,
        model: "not in the report",
        emulator: method,
      });
  }
  const counts: Record<string, number> = { fido2: 0, microsoftAuthenticator: 0 };
  for (const { method } of forecast) counts[method] = (counts[method] ?? 0) + 1;
  return { disagreements, prompted: counts };
}
