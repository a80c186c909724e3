// `npm run differential [-- --tenants N --configurations M]`: the eligibility model against the
// emulator's independent sign-in rules on N seeded random tenants × M seeded random
// configurations (default 20 × 16 = 320), tests/differential/differential.ts: weighted towards
// Microsoft managed and passkeys, written as raw Graph bodies (never through the product's PATCH
// code). Prints each disagreement (seed, user, what each side says) and a summary; exit 1 on any
// disagreement.
import { parseArgs } from "node:util";
import { startEmulator } from "../emulator/index";
import {
  compareOnce,
  differentialTenant,
  randomConfiguration,
} from "../tests/differential/differential";
import { runTrustingEmulator } from "./trustEmulator";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { tenants: { type: "string" }, configurations: { type: "string" } },
  });
  const tenants = Number(values.tenants ?? 20);
  const perTenant = Number(values.configurations ?? 16);
  let runs = 0;
  let failed = 0;
  const nudged: Record<string, number> = { fido2: 0, microsoftAuthenticator: 0 };
  const started = Date.now();
  for (let t = 1; t <= tenants; t++) {
    const tenantSeed = 1000 + t;
    const tenant = differentialTenant(tenantSeed);
    const emulator = await startEmulator({ tenant });
    try {
      const groups = tenant.groups.map((g) => g.id);
      const users = tenant.users.map((u) => u.id);
      for (let c = 0; c < perTenant; c++) {
        const seed = tenantSeed * 1000 + c;
        const { disagreements, prompted } = await compareOnce(
          emulator,
          seed,
          randomConfiguration(seed, groups, users),
        );
        runs++;
        for (const [method, n] of Object.entries(prompted)) nudged[method] += n;
        if (disagreements.length > 0) {
          failed++;
          console.log(`seed ${seed}: ${disagreements.length} users differ, e.g.`);
          for (const d of disagreements.slice(0, 3))
            console.log(`  user ${d.userId}: model ${d.model}, emulator ${d.emulator}`);
          console.log(`  configuration ${JSON.stringify(d0(disagreements).configuration)}`);
        }
      }
    } finally {
      await emulator.close();
    }
  }
  console.log(
    `${runs} configurations on ${tenants} tenants in ${Math.round((Date.now() - started) / 1000)} s: ${failed} with disagreements; nudges compared: ${nudged.fido2} to a passkey, ${nudged.microsoftAuthenticator} to Authenticator.`,
  );
  return failed === 0 ? 0 : 1;
}

function d0<T>(list: T[]): T {
  return list[0];
}

runTrustingEmulator(main, "The differential check could not run");
