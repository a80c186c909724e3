// Wiring of examples/microsoft-managed-pinned-exclusions: one campaign left Microsoft managed
// (state "default") whose only other declared argument is the exclusion list, and which passes the
// model's rules for "default".
import * as path from "node:path";
import { expect } from "chai";
import { validateArgs } from "../../provider/model";
import { microsoftManagedPinnedExclusions } from "../../examples/microsoft-managed-pinned-exclusions/program";
import { TYPES, declaredInputs, loadFresh, onlyOne, runMocked } from "./mocks";

const PROJECT = "microsoft-managed-pinned-exclusions";
const BREAK_GLASS_ID = "0b7d2c4e-6f81-4a93-b5c7-d9e1f3a5b7c9";
const SERVICE_USER_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

describe("examples/microsoft-managed-pinned-exclusions wiring", () => {
  it("declares one campaign: Microsoft managed, only the exclusions pinned", async () => {
    const run = await runMocked(
      () => microsoftManagedPinnedExclusions({ breakGlassGroupId: BREAK_GLASS_ID }),
      { project: PROJECT },
    );
    expect(run.resources.map((resource) => resource.type)).to.deep.equal([TYPES.campaign]);
    // Nothing else is declared, so the method, snooze and enforcement stay Microsoft's; the
    // program registers the canonical form (all users included, onDelete "restore").
    expect(declaredInputs(onlyOne(run, TYPES.campaign))).to.deep.equal({
      state: "default",
      includeTargets: [{ id: "all_users", targetType: "group" }],
      excludeTargets: [{ id: BREAK_GLASS_ID, targetType: "group" }],
      onDelete: "restore",
    });
  });

  it("excludes listed users as user targets beside the break-glass group", async () => {
    const run = await runMocked(
      () =>
        microsoftManagedPinnedExclusions({
          breakGlassGroupId: BREAK_GLASS_ID,
          excludedUserIds: [SERVICE_USER_ID],
        }),
      { project: PROJECT },
    );
    expect(declaredInputs(onlyOne(run, TYPES.campaign)).excludeTargets).to.deep.equal([
      { id: BREAK_GLASS_ID, targetType: "group" },
      { id: SERVICE_USER_ID, targetType: "user" },
    ]);
  });

  it("passes the model's validation, which refuses a snooze other than Microsoft's with state default", async () => {
    const run = await runMocked(
      () => microsoftManagedPinnedExclusions({ breakGlassGroupId: BREAK_GLASS_ID }),
      { project: PROJECT },
    );
    const inputs = onlyOne(run, TYPES.campaign).inputs;
    expect(validateArgs("RegistrationCampaign", inputs)).to.deep.equal([]);
    // Why the example declares no snooze: the same campaign with one is refused.
    const withSnooze = validateArgs("RegistrationCampaign", { ...inputs, snoozeDurationInDays: 0 });
    expect(withSnooze.map((problem) => problem.property)).to.deep.equal(["snoozeDurationInDays"]);
  });

  it("index.ts reads the break-glass group and the excluded users from the stack config", async () => {
    const indexModule = path.join(
      __dirname,
      "..",
      "..",
      "examples",
      "microsoft-managed-pinned-exclusions",
      "index",
    );
    const run = await runMocked(() => loadFresh<object>(indexModule), {
      project: PROJECT,
      config: {
        breakGlassGroupId: BREAK_GLASS_ID,
        excludedUserIds: JSON.stringify([SERVICE_USER_ID]),
      },
    });
    expect(declaredInputs(onlyOne(run, TYPES.campaign))).to.deep.equal({
      state: "default",
      includeTargets: [{ id: "all_users", targetType: "group" }],
      excludeTargets: [
        { id: BREAK_GLASS_ID, targetType: "group" },
        { id: SERVICE_USER_ID, targetType: "user" },
      ],
      onDelete: "restore",
    });
  });
});
