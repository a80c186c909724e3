// A fixed slice of the differential check (tests/differential/differential.ts): 3 tenants × 10
// random configurations; the model and the emulator must agree on every user. `npm run
// differential` runs hundreds.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { compareOnce, differentialTenant, randomConfiguration } from "./differential";

// The slice is not vacuous: across it, users are nudged to each method.
const total: Record<string, number> = { fido2: 0, microsoftAuthenticator: 0 };
after(() => {
  expect(total.fido2, "passkey nudges in the slice").to.be.greaterThan(0);
  expect(total.microsoftAuthenticator, "Authenticator nudges in the slice").to.be.greaterThan(0);
});

for (const tenantSeed of [101, 202, 303]) {
  describe(`differential: model against the emulator's sign-in rules, tenant seed ${tenantSeed}`, function () {
    this.timeout(120_000);
    const tenant = differentialTenant(tenantSeed);
    const emulator = useEmulator({ tenant });
    const groups = tenant.groups.map((g) => g.id);
    const users = tenant.users.map((u) => u.id);
    for (let i = 0; i < 10; i++) {
      const seed = tenantSeed * 1000 + i;
      it(`configuration seed ${seed}: the same users nudged, to the same method`, async () => {
        const { disagreements, prompted } = await compareOnce(
          emulator,
          seed,
          randomConfiguration(seed, groups, users),
        );
        for (const [method, n] of Object.entries(prompted)) total[method] += n;
        expect(
          disagreements.slice(0, 3),
          JSON.stringify(disagreements[0]?.configuration),
        ).to.deep.equal([]);
      });
    }
  });
}
