// Settings changed outside the stack, through the two singletons' provider methods against the
// emulator: an adoption that replaces what it finds warns old → new; an update that would overwrite
// a change made outside the stack warns, or with failOnExternalChange: true fails before any write
// naming what changed; the flag alone is never a diff and never a write.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import { resolveSettings } from "../../provider/config";
import {
  changeRelationship,
  getAuthenticationMethodsPolicy,
  getAuthenticatorConfiguration,
  GraphClient,
  listRelationship,
  patchAuthenticatorConfiguration,
  patchRegistrationEnforcement,
  updateGroup,
} from "../../provider/graph";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";
import { ExternalChangeError } from "../../provider/model";

type Props = Record<string, unknown>;
const PILOT_GROUP = "6ff4ac01-441a-5c79-9a9d-55bd5400bb31";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";
const SALES_GROUP = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";

describe("failOnExternalChange and overwrite warnings (providers against the emulator)", function () {
  this.timeout(60_000);
  const emulator = useEmulator({ resetEachTest: true });
  let warnings: string[];
  let portal: GraphClient;

  beforeEach(() => {
    const env = { ...emulator.env("writer"), ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0" };
    setConfig(() => undefined, env);
    portal = new GraphClient(
      resolveSettings(() => undefined, env),
      { retryDelaySeconds: 0 },
    );
    warnings = [];
    setWarningSink((message) => warnings.push(message));
  });
  after(() => setWarningSink(undefined));

  /** Graph writes in the request log, as "METHOD /path" ($batch steps are logged on their own). */
  function graphWrites(): string[] {
    return emulator
      .requests()
      .filter((r) => /^\/(v1\.0|beta)\//.test(r.path) && r.method !== "GET")
      .filter((r) => !r.path.endsWith("/$batch"))
      .map((r) => `${r.method} ${r.path}`);
  }

  async function checked(kind: Parameters<typeof provider>[0], args: Props): Promise<Props> {
    const result = await provider(kind).check!({}, args);
    expect(result.failures ?? [], JSON.stringify(result.failures)).to.deep.equal([]);
    return result.inputs as Props;
  }

  async function liveCampaign() {
    const policy = await getAuthenticationMethodsPolicy(portal);
    return policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  }

  /** The portal sends the whole campaign back with the edit applied. */
  async function portalEditsCampaign(edit: Props): Promise<void> {
    await patchRegistrationEnforcement(portal, {
      authenticationMethodsRegistrationCampaign: { ...(await liveCampaign()), ...edit },
    });
  }

  describe("RegistrationCampaign", () => {
    const campaign = () => provider("RegistrationCampaign");
    const declared: Props = {
      state: "enabled",
      snoozeDurationInDays: 0,
      includeTargets: [{ id: PILOT_GROUP, targetType: "group" }],
      excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
    };

    it("an adoption that replaces the tenant's settings warns old → new; an identical one does not", async () => {
      const { outs } = await campaign().create(await checked("RegistrationCampaign", declared));
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(
        /^RegistrationCampaign: adopting the registration campaign; this create changes 5 settings the tenant had .*:\n/,
      );
      expect(warnings[0]).to.contain("\n  State: Microsoft managed → Enabled.\n");
      expect(warnings[0]).to.contain("\n  Snooze: 1 day → every sign-in.\n");
      expect(warnings[0]).to.contain("\n  Included: + Pilot - Authenticator wave 1.\n");
      expect(warnings[0]).to.contain("\n  Included: − All users.\n");
      expect(warnings[0]).to.contain("\n  Excluded: + Emergency Access Accounts.\n");
      expect(warnings[0], "no JSON").to.not.match(/[{}]|\(absent\)/);
      expect(warnings[0]).to.contain(
        "kept in the state (originalSettings) and restored on destroy",
      );
      expect(outs.originalSettings).to.include({ state: "default", snoozeDurationInDays: 1 });

      warnings = [];
      emulator.clearRequests();
      // A second stack adopting exactly what the tenant holds changes nothing, so says nothing.
      await campaign().create(await checked("RegistrationCampaign", declared));
      expect(warnings).to.deep.equal([]);
      expect(graphWrites()).to.deep.equal([]);
    });

    it("failOnExternalChange never stops an adoption: what it adopts is external by definition", async () => {
      await portalEditsCampaign({ state: "enabled", snoozeDurationInDays: 7 });
      const { outs } = await campaign().create(
        await checked("RegistrationCampaign", { ...declared, failOnExternalChange: true }),
      );
      expect(outs.originalSettings).to.include({ snoozeDurationInDays: 7 });
      // Kept beside the settings (never compared, never sent) so that a refresh hands it back.
      expect(outs).to.have.property("failOnExternalChange", true);
      expect(warnings.join("\n")).to.contain("Snooze: 7 days → every sign-in.");
      expect(await liveCampaign()).to.include({ snoozeDurationInDays: 0 });
    });

    it("with failOnExternalChange: true, an update over a portal edit fails naming it and writes nothing", async () => {
      const { id, outs } = await campaign().create(await checked("RegistrationCampaign", declared));
      await portalEditsCampaign({ snoozeDurationInDays: 7, excludeTargets: [] });
      emulator.clearRequests();
      warnings = [];

      // The program changes for another reason (a new exclusion); the state still says 0 days.
      const news = await checked("RegistrationCampaign", {
        ...declared,
        excludeTargets: [
          { id: BREAK_GLASS, targetType: "group" },
          { id: SALES_GROUP, targetType: "group" },
        ],
        failOnExternalChange: true,
      });
      const failure = await campaign().update!(id, outs, news).then(
        () => expect.fail("the update should have failed"),
        (error: unknown) => error,
      );
      expect(failure).to.be.instanceOf(ExternalChangeError);
      const message = (failure as Error).message;
      expect(message).to.contain(
        "RegistrationCampaign: the tenant's settings were changed outside this stack since it last applied or refreshed them, and failOnExternalChange is true, so nothing was written.",
      );
      // In reviewer words, one line each, with the groups' display names; no JSON.
      expect(message).to.contain(
        [
          "\nChanged outside this stack (last applied → live):",
          "  Snooze: every sign-in → 7 days.",
          "  Excluded: − Emergency Access Accounts.",
          "This update would have set:",
          "",
        ].join("\n"),
      );
      const wouldSet = message.slice(message.indexOf("This update would have set:"));
      expect(wouldSet).to.contain("\n  Snooze: 7 days → every sign-in.\n");
      expect(wouldSet).to.contain("\n  Excluded: + Emergency Access Accounts.\n");
      // ... and the program's own change, the new exclusion.
      expect(wouldSet).to.contain("\n  Excluded: + Sales.\n");
      expect(message, "no JSON, no raw paths").to.not.match(
        /[{}"]|\(absent\)|snoozeDurationInDays|excludeTargets/,
      );
      expect(message).to.contain("`pulumi refresh`");
      expect(message).to.contain("set failOnExternalChange: false");
      // Read, never written: the portal's values stay.
      expect(graphWrites()).to.deep.equal([]);
      expect(await liveCampaign()).to.deep.include({ snoozeDurationInDays: 7, excludeTargets: [] });
      expect(warnings).to.deep.equal([]);
    });

    it("after a refresh has accepted the live values, the same update applies the declaration", async () => {
      const { id, outs } = await campaign().create(await checked("RegistrationCampaign", declared));
      await portalEditsCampaign({ snoozeDurationInDays: 7 });
      // `pulumi refresh`: read() records the live values as the state's outputs.
      const refreshed = await campaign().read!(id, outs);
      emulator.clearRequests();
      warnings = [];
      const news = await checked("RegistrationCampaign", {
        ...declared,
        failOnExternalChange: true,
      });
      await campaign().update!(id, refreshed.props as Props, news);
      expect(graphWrites()).to.deep.equal(["PATCH /v1.0/policies/authenticationMethodsPolicy"]);
      expect(await liveCampaign()).to.include({ snoozeDurationInDays: 0 });
      expect(warnings).to.deep.equal([]);
    });

    it("a stale read right after the stack's own write is not mistaken for an external change", async () => {
      // Reads answer the settings from before a write for 2.5 s (graph-contract §4.8).
      emulator.configure({ policyReplicationDelayMs: 2500 });
      let updated: Props;
      try {
        const { id, outs } = await campaign().create(
          await checked("RegistrationCampaign", declared),
        );
        expect((await liveCampaign())?.snoozeDurationInDays, "the read is stale").to.equal(1);
        const result = await campaign().update!(
          id,
          outs,
          await checked("RegistrationCampaign", {
            ...declared,
            excludeTargets: [],
            failOnExternalChange: true,
          }),
        );
        updated = result.outs as Props;
      } finally {
        emulator.configure({ policyReplicationDelayMs: 0 });
      }
      expect(graphWrites()).to.deep.equal([
        "PATCH /v1.0/policies/authenticationMethodsPolicy",
        "PATCH /v1.0/policies/authenticationMethodsPolicy",
      ]);
      expect(updated).to.deep.include({ snoozeDurationInDays: 0, excludeTargets: [] });
    });

    it("with failOnExternalChange: false (the default), the update overwrites and warns old → new", async () => {
      const { id, outs } = await campaign().create(await checked("RegistrationCampaign", declared));
      await portalEditsCampaign({ snoozeDurationInDays: 7 });
      warnings = [];
      await campaign().update!(
        id,
        outs,
        await checked("RegistrationCampaign", { ...declared, failOnExternalChange: false }),
      );
      expect(warnings).to.deep.equal([
        [
          "RegistrationCampaign: the tenant's settings changed outside Pulumi since the last refresh; this update overwrites them with the declaration:",
          "  Snooze: 7 days → every sign-in.",
        ].join("\n"),
      ]);
      expect(await liveCampaign()).to.include({ snoozeDurationInDays: 0 });
    });

    it("an external change the update would not overwrite does not fail it", async () => {
      const { id, outs } = await campaign().create(await checked("RegistrationCampaign", declared));
      // Someone already set what the program is about to declare.
      await portalEditsCampaign({ snoozeDurationInDays: 3 });
      emulator.clearRequests();
      await campaign().update!(
        id,
        outs,
        await checked("RegistrationCampaign", {
          ...declared,
          snoozeDurationInDays: 3,
          failOnExternalChange: true,
        }),
      );
      expect(graphWrites()).to.deep.equal([]);
      expect(await liveCampaign()).to.include({ snoozeDurationInDays: 3 });
    });

    it("turning failOnExternalChange on or off alone is no diff, so the engine writes nothing", async () => {
      const inputs = await checked("RegistrationCampaign", declared);
      const { id, outs } = await campaign().create(inputs);
      await portalEditsCampaign({ snoozeDurationInDays: 7 });
      emulator.clearRequests();
      for (const value of [true, false]) {
        // check() as the engine calls it for an existing resource: the targets are not new.
        const { inputs: news } = await campaign().check!(outs, {
          ...declared,
          failOnExternalChange: value,
        });
        const diff = await campaign().diff!(id, { ...outs, __provider: "a" }, news);
        expect(diff.changes, String(value)).to.equal(false);
      }
      // check() and diff() read nothing from Graph (a no-change preview makes no Graph call).
      expect(emulator.requests().filter((r) => /^\/(v1\.0|beta)\//.test(r.path))).to.deep.equal([]);
    });
  });

  describe("AuthenticatorPolicy", () => {
    const authenticator = () => provider("AuthenticatorPolicy");
    const declared: Props = {
      state: "enabled",
      includeTargets: [{ id: PILOT_GROUP, targetType: "group", authenticationMode: "any" }],
      allowMethodLoss: true, // the narrowing is not under test (tests/resources/methodLoss.test.ts)
    };

    it("with failOnExternalChange: true, an update over a portal edit fails naming it and writes nothing", async () => {
      const { id, outs } = await authenticator().create(
        await checked("AuthenticatorPolicy", declared),
      );
      // The portal switches the pilot group to Passwordless only.
      await patchAuthenticatorConfiguration(portal, {
        state: "enabled",
        includeTargets: [
          {
            id: PILOT_GROUP,
            targetType: "group",
            authenticationMode: "deviceBasedPush",
            isRegistrationRequired: false,
          },
        ],
      } as never);
      emulator.clearRequests();
      const news = await checked("AuthenticatorPolicy", {
        ...declared,
        excludeTargets: [{ id: BREAK_GLASS, targetType: "group" }],
        failOnExternalChange: true,
      });
      const failure = await authenticator().update!(id, outs, news).then(
        () => expect.fail("the update should have failed"),
        (error: unknown) => error as Error,
      );
      expect(failure.message).to.contain(
        "AuthenticatorPolicy: the tenant's settings were changed outside this stack",
      );
      expect(failure.message).to.contain(
        "\n  Authentication mode for Pilot - Authenticator wave 1: Any (push or passwordless) → Passwordless.\n",
      );
      expect(failure.message, "no JSON, no raw paths").to.not.match(/[{}"]|includeTargets/);
      expect(graphWrites()).to.deep.equal([]);
      const live = await getAuthenticatorConfiguration(portal);
      expect(live.includeTargets?.[0]).to.include({ authenticationMode: "deviceBasedPush" });
      expect(live.excludeTargets ?? []).to.deep.equal([]);
    });

    it("an adoption that replaces the tenant's configuration warns old → new", async () => {
      await authenticator().create(await checked("AuthenticatorPolicy", declared));
      expect(warnings.join("\n")).to.match(
        /^AuthenticatorPolicy: adopting the Microsoft Authenticator configuration; this create changes .*\n(.*\n)*  Included: \+ Pilot - Authenticator wave 1, mode Any \(push or passwordless\)\./m,
      );
    });
  });

  describe("PilotGroup", () => {
    it("an update over a portal edit warns old → new in words: the description and a member", async () => {
      const group = provider("PilotGroup");
      const declared: Props = {
        displayName: "Pilot - wave 3",
        description: "Wave 3",
        members: ["pilot.user@contoso.onmicrosoft.com", "DiegoS@contoso.onmicrosoft.com"],
      };
      const { id, outs } = await group.create(await checked("PilotGroup", declared));
      // In the portal: the description edited, Diego taken out of the group.
      await updateGroup(portal, id, { description: "Edited in the portal" });
      const diego = (await listRelationship(portal, id, "members")).find((member) =>
        member.userPrincipalName?.toLowerCase().startsWith("diegos@"),
      );
      await changeRelationship(portal, id, "members", "remove", [diego!.id]);
      warnings = [];
      // The program renames the group; the state still holds the old description and members.
      await group.update!(
        id,
        outs,
        await checked("PilotGroup", { ...declared, displayName: "Pilot - wave 3b" }),
      );
      expect(warnings).to.deep.equal([
        [
          "PilotGroup: the tenant's settings changed outside Pulumi since the last refresh; this update overwrites them with the declaration:",
          '  Description: "Edited in the portal" → "Wave 3".',
          "  Members: + diegos@contoso.onmicrosoft.com.",
        ].join("\n"),
      ]);
      await group.delete!(id, outs);
    });
  });
});
