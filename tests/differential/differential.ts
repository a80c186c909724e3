// The differential check of the eligibility model against the emulator's sign-in rules (written
// independently from the contract, emulator/graph/signin.ts): on seeded random tenants (random
// method sets, guests, nested groups: emulator/generate.ts) and seeded random campaign /
// Authenticator / passkey configurations, the users the model predicts are nudged (to what, with
// which snooze days and limit) must be exactly the users the emulator prompts on a day everyone signs in with MFA
// (POST /_emulator/prompts). Used by tests/differential/differential.test.ts (a fixed slice) and
// `npm run differential` (scripts/differential.ts, hundreds of configurations).
import { generateTenant } from "../../emulator/generate";
import type { RunningEmulator } from "../../emulator/index.js";
import { seededRandom } from "../../emulator/random";
import { scanTenant } from "../../provider/eligibility/scan";
import { evaluateUser } from "../../provider/model";
import { applyConfiguration, graphClient } from "../eligibility/support";

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

/** One random configuration of the three policies for the tenant, from the seed. */
export function randomConfiguration(
  seed: number,
  groupIds: readonly string[],
  userIds: readonly string[],
) {
  const rng = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
  const target = () =>
    rng() < 0.3
      ? { id: "all_users", targetType: "group" as const }
      : rng() < 0.85
        ? { id: pick(groupIds), targetType: "group" as const }
        : { id: pick(userIds), targetType: "user" as const };
  const targets = (n: number) => {
    const list = Array.from({ length: n }, target);
    return list.filter((t, i) => list.findIndex((o) => o.id === t.id) === i);
  };
  /** Exclusions that name none of the inclusions (the resources refuse both; exclusion wins). */
  const excluding = (included: readonly { id: string }[], share: number, groupsOnly = false) =>
    rng() < share
      ? targets(1).filter(
          (t) =>
            t.id !== "all_users" &&
            (!groupsOnly || t.targetType === "group") &&
            !included.some((i) => i.id === t.id),
        )
      : [];
  const campaignIncludes = targets(1 + Math.floor(rng() * 2));
  const authenticatorIncludes = targets(1 + Math.floor(rng() * 2));
  const passkeyIncludes = targets(1 + Math.floor(rng() * 2)).filter(
    (t) => t.targetType === "group",
  );
  const campaignState = pick(["enabled", "enabled", "default", "disabled"] as const);
  const configuration = {
    campaign: {
      state: campaignState,
      ...(campaignState === "default"
        ? {}
        : { targetedAuthenticationMethod: pick(["fido2", "microsoftAuthenticator"] as const) }),
      includeTargets: campaignIncludes,
      excludeTargets: excluding(campaignIncludes, 0.4),
    } as {
      state: typeof campaignState;
      targetedAuthenticationMethod?: "fido2" | "microsoftAuthenticator";
      includeTargets: typeof campaignIncludes;
      excludeTargets: typeof campaignIncludes;
      snoozeDurationInDays?: number;
      enforceRegistrationAfterAllowedSnoozes?: boolean;
    },
    authenticator: {
      state: pick(["enabled", "enabled", "disabled"] as const),
      includeTargets: authenticatorIncludes.map((t) => ({
        ...t,
        authenticationMode: pick(["any", "push", "deviceBasedPush"] as const),
      })),
      excludeTargets: excluding(authenticatorIncludes, 0.3),
    },
    passkey: {
      state: pick(["enabled", "enabled", "disabled"] as const),
      isSelfServiceRegistrationAllowed: rng() < 0.75,
      includeTargets: passkeyIncludes,
      excludeTargets: excluding(passkeyIncludes, 0.3, true),
    },
  };
  // The snooze settings of an enabled campaign (Microsoft managed fixes its own), drawn last so
  // the draws above, and so the kept seeds' configurations, are unchanged.
  if (campaignState === "enabled") {
    configuration.campaign.snoozeDurationInDays = pick([0, 1, 3, 14]);
    configuration.campaign.enforceRegistrationAfterAllowedSnoozes = rng() < 0.7;
  }
  return configuration;
}

/** A nudge as both sides state it: the method and its snooze rules (days, limit or unlimited). */
function nudgeKey(nudge: {
  method: string;
  snoozeDays: number;
  snoozeLimit: number | null;
}): string {
  return `${nudge.method} (snooze ${nudge.snoozeDays} d, ${nudge.snoozeLimit === null ? "unlimited" : `limit ${nudge.snoozeLimit}`})`;
}

/** Applies the configuration, then compares the model's nudged users with the emulator's prompts. */
export async function compareOnce(
  emulator: RunningEmulator,
  seed: number,
  configuration: ReturnType<typeof randomConfiguration>,
): Promise<{ disagreements: Disagreement[]; prompted: Record<string, number> }> {
  emulator.reset();
  const writer = graphClient(emulator, "writer", { reportRateLimit: null });
  const fido2 = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2";
  const current = await writer.request<{ passkeyProfiles?: { id: string }[] }>({
    operation: "read the passkey configuration",
    method: "GET",
    path: fido2,
    permission: "Policy.Read.AuthenticationMethod",
  });
  const profile = current.passkeyProfiles?.[0]?.id ?? "00000000-0000-0000-0000-000000000001";
  await writer.request({
    operation: "write the passkey configuration",
    method: "PATCH",
    path: fido2,
    permission: "Policy.ReadWrite.AuthenticationMethod",
    body: {
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      state: configuration.passkey.state,
      isSelfServiceRegistrationAllowed: configuration.passkey.isSelfServiceRegistrationAllowed,
      includeTargets: configuration.passkey.includeTargets.map((t) => ({
        ...t,
        isRegistrationRequired: false,
        allowedPasskeyProfiles: [profile],
      })),
      excludeTargets: configuration.passkey.excludeTargets,
    },
  });
  await applyConfiguration(emulator, {
    campaign: configuration.campaign,
    authenticator: configuration.authenticator,
  });
  const scan = await scanTenant(graphClient(emulator, "reader", { reportRateLimit: null }));
  const predicted = new Map<string, string>();
  for (const user of scan.users) {
    const outcome = evaluateUser(user, scan.current);
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
