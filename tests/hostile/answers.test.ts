// Graph answers that are malformed (invalid JSON, HTML pages, cut off, wrong content type),
// oversized, of unexpected types, or carrying enum members this version does not know. Each is a
// GraphRequestError that says Graph answered something this tool cannot read (naming the property
// when one is wrong), or is read correctly; never a crash, never a hang, and never a write: a
// provider's create reads before it writes, so a bad read must stop it before its PATCH.
import { expect } from "chai";
import { useEmulator } from "../support/emulator";
import type { FaultSpec } from "../../emulator/index.js";
import { resolveSettings } from "../../provider/config";
import {
  getAuthenticationMethodsPolicy,
  getAuthenticatorConfiguration,
  getGroup,
  getUsers,
  GraphClient,
  GraphRequestError,
  listRelationship,
  transitiveUsersOfGroups,
  userRegistrationDetailsPages,
} from "../../provider/graph";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";

const POLICY = "/v1.0/policies/authenticationMethodsPolicy";
const AUTHENTICATOR = `${POLICY}/authenticationMethodConfigurations/MicrosoftAuthenticator`;
const PILOT_USER = "pilot.user@contoso.onmicrosoft.com";
const BREAK_GLASS = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c";

type Json = Record<string, unknown>;

describe("hostile input: what Graph answers", function () {
  this.timeout(120_000);
  const emulator = useEmulator({ resetEachTest: true });
  let graph: GraphClient;
  let warnings: string[];

  beforeEach(() => {
    const env = {
      ...emulator.env("writer"),
      ENTRA_NUDGE_MAX_RETRIES: "1",
      ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
    };
    setConfig(() => undefined, env);
    graph = new GraphClient(
      resolveSettings(() => undefined, env),
      {
        retryDelaySeconds: 0,
        maxRetries: 1,
        reportRateLimit: null,
      },
    );
    warnings = [];
    setWarningSink((message) => warnings.push(message));
  });
  after(() => setWarningSink(undefined));

  function writes() {
    return emulator
      .requests()
      .filter((r) => /^\/(v1\.0|beta)\//.test(r.path))
      .filter((r) => r.method !== "GET" && !r.path.endsWith("/$batch"));
  }

  async function failure(run: () => Promise<unknown>): Promise<GraphRequestError> {
    try {
      await run();
    } catch (error) {
      expect(error, String(error)).to.be.instanceOf(GraphRequestError);
      return error as GraphRequestError;
    }
    return expect.fail("the call succeeded") as never;
  }

  /** The real answer of a GET, as JSON, to reshape. */
  async function realAnswer(path: string): Promise<Json> {
    return path === POLICY
      ? ((await getAuthenticationMethodsPolicy(graph)) as Json)
      : ((await getAuthenticatorConfiguration(graph)) as Json);
  }

  function answerWith(path: string, spec: FaultSpec): void {
    emulator.injectFault({ method: "GET", pathPrefix: path, ...spec });
  }

  describe("malformed and oversized answers to the policy reads", () => {
    const cases: { what: string; spec: FaultSpec; says: RegExp; kind?: string }[] = [
      {
        what: "invalid JSON",
        spec: { body: '{"registrationEnforcement": {"authenticationMethodsRegistrationCam' },
        says: /cannot read: the answer is not valid JSON/,
      },
      {
        what: "an HTML page with 200",
        spec: { body: "<html><body>Sign in to the proxy</body></html>", contentType: "text/html" },
        says: /cannot read: a 200 answer with Content-Type "text\/html" instead of JSON .*proxy or captive portal/,
      },
      {
        what: "an HTML error page with 502",
        spec: {
          status: 502,
          body: "<html><body>502 Bad Gateway</body></html>",
          contentType: "text/html",
        },
        says: /Microsoft Graph answered 502\. Microsoft Graph failed after 2 attempts; this is usually transient/,
        kind: "unavailable",
      },
      {
        what: "a body cut off in transit",
        spec: { truncateBytes: 60 },
        says: /cannot read: the answer was cut off before its end/,
      },
      {
        what: "JSON labelled text/plain",
        spec: { contentType: "text/plain" },
        says: /cannot read: a 200 answer with Content-Type "text\/plain" instead of JSON/,
      },
      {
        what: "a bare JSON string",
        spec: { body: '"enabled"' },
        says: /cannot read: the JSON string "enabled" where Graph sends an object/,
      },
      {
        what: "JSON null",
        spec: { body: "null" },
        says: /cannot read: the JSON null where Graph sends an object/,
      },
    ];
    for (const c of cases) {
      for (const [kind, path] of [
        ["RegistrationCampaign", POLICY],
        ["AuthenticatorPolicy", AUTHENTICATOR],
      ] as const) {
        it(`${c.what} from ${kind === "RegistrationCampaign" ? "the policy" : "the Authenticator configuration"}: a clear error, and create writes nothing`, async () => {
          answerWith(path, c.spec);
          const error = await failure(() =>
            provider(kind).create({
              state: kind === "RegistrationCampaign" ? "enabled" : "enabled",
            }),
          );
          expect(error.kind).to.equal(c.kind ?? "malformed");
          expect(error.message).to.match(
            /^Could not read the (authentication methods policy|Microsoft Authenticator method configuration)\./,
          );
          expect(error.message).to.match(c.says);
          expect(writes()).to.deep.equal([]);
        });
      }
    }

    it("an oversized answer (30 MB of an unknown property) is read correctly and completely", async () => {
      const expected = await getAuthenticationMethodsPolicy(graph);
      answerWith(POLICY, { padBytes: 30 * 1024 * 1024, count: 1 });
      const big = (await getAuthenticationMethodsPolicy(graph)) as Json;
      expect(String(big["@emulator.padding"]).length).to.equal(30 * 1024 * 1024);
      delete big["@emulator.padding"];
      expect(big).to.deep.equal(expected);
    });
  });

  describe("unexpected types: the property is named, nothing is written", () => {
    const campaignPath = "registrationEnforcement.authenticationMethodsRegistrationCampaign";
    const cases: {
      what: string;
      path: string;
      change: (answer: Json) => void;
      says: string;
    }[] = [
      {
        what: "a string where the registrationEnforcement object belongs",
        path: POLICY,
        change: (a) => (a.registrationEnforcement = "enabled"),
        says: 'registrationEnforcement is the string "enabled", not an object',
      },
      {
        what: "snoozeDurationInDays as a string",
        path: POLICY,
        change: (a) => (campaign(a).snoozeDurationInDays = "3"),
        says: `${campaignPath}.snoozeDurationInDays is the string "3", not a whole number`,
      },
      {
        what: "includeTargets as an object",
        path: POLICY,
        change: (a) => (campaign(a).includeTargets = { id: "all_users" }),
        says: `${campaignPath}.includeTargets is an object {"id":"all_users"}, not a list`,
      },
      {
        what: "a target id as a number",
        path: POLICY,
        change: (a) => (campaign(a).excludeTargets = [{ id: 42, targetType: "group" }]),
        says: `${campaignPath}.excludeTargets[0].id is the number 42, not a string`,
      },
      {
        what: "isSoftwareOathEnabled as a string",
        path: AUTHENTICATOR,
        change: (a) => (a.isSoftwareOathEnabled = "false"),
        says: 'isSoftwareOathEnabled is the string "false", not true or false',
      },
      {
        what: "featureSettings as a string",
        path: AUTHENTICATOR,
        change: (a) => (a.featureSettings = "default"),
        says: 'featureSettings is the string "default", not an object',
      },
      {
        what: "a target that is null inside includeTargets",
        path: AUTHENTICATOR,
        change: (a) => (a.includeTargets = [null]),
        says: "includeTargets[0] is null, not an object",
      },
    ];
    for (const c of cases) {
      it(`${c.what}`, async () => {
        const answer = await realAnswer(c.path);
        c.change(answer);
        emulator.clearRequests();
        answerWith(c.path, { body: JSON.stringify(answer) });
        const kind = c.path === POLICY ? "RegistrationCampaign" : "AuthenticatorPolicy";
        const error = await failure(() => provider(kind).create({ state: "enabled" }));
        expect(error.kind).to.equal("malformed");
        expect(error.message).to.contain(c.says);
        expect(error.message).to.contain(
          "Graph answered something this version of pulumi-entra-nudge does not understand",
        );
        expect(writes()).to.deep.equal([]);
      });
    }

    it("null collections are read as Graph's defaults, without a crash", async () => {
      const answer = await realAnswer(AUTHENTICATOR);
      answer.excludeTargets = null;
      answer.featureSettings = null;
      answerWith(AUTHENTICATOR, { body: JSON.stringify(answer), count: 1 });
      const read = await provider("AuthenticatorPolicy").read!(
        `${emulator.info.tenantId}/authenticator`,
        {
          state: "enabled",
          tenantId: emulator.info.tenantId,
        },
      );
      expect((read.props as Json).excludeTargets).to.deep.equal([]);
    });

    it("a group, a member and a user with the wrong types are errors naming the property", async () => {
      emulator.injectFault({
        method: "GET",
        pathPrefix: `/v1.0/groups/${BREAK_GLASS}`,
        count: 1,
        body: JSON.stringify({ id: 7, displayName: ["Break glass"] }),
      });
      const group = await failure(() => getGroup(graph, BREAK_GLASS));
      expect(group.message).to.contain("id is the number 7, not a string; displayName is a list");

      emulator.injectFault({
        method: "GET",
        pathPrefix: `/v1.0/groups/${BREAK_GLASS}/members`,
        count: 1,
        body: JSON.stringify({ value: [{ id: { oid: "x" } }] }),
      });
      const members = await failure(() => listRelationship(graph, BREAK_GLASS, "members"));
      expect(members.message).to.match(
        /Could not list the members of the group .*id is an object \{"oid":"x"\}, not a string/,
      );

      emulator.injectFault({
        method: "GET",
        pathPrefix: "/v1.0/users/",
        count: 1,
        body: JSON.stringify({ id: "bb1d6c17-7043-5689-a17d-aa610e2a4115", userPrincipalName: 12 }),
      });
      const user = await failure(() => getUsers(graph, [PILOT_USER]));
      expect(user.message).to.contain("userPrincipalName is the number 12, not a string");

      emulator.injectFault({
        method: "GET",
        pathPrefix: "/v1.0/users/",
        count: 1,
        body: "<html>login</html>",
      });
      const html = await failure(() => getUsers(graph, [PILOT_USER]));
      expect(html.message).to.contain(
        'the object is the string "<html>login</html>", not an object',
      );
      expect(writes()).to.deep.equal([]);
    });

    it("a $batch answer that is an HTML page, cut off, or without responses is an error", async () => {
      const cases: [FaultSpec, string][] = [
        [
          { body: "<html>proxy</html>", contentType: "text/html" },
          'Content-Type "text/html" instead of JSON',
        ],
        [{ truncateBytes: 30 }, "the answer was cut off before its end"],
        [{ body: JSON.stringify({ value: [] }) }, "a batch answer without responses"],
      ];
      for (const [spec, says] of cases) {
        emulator.injectFault({ method: "POST", pathPrefix: "/v1.0/$batch", count: 1, ...spec });
        const error = await failure(() => getUsers(graph, [PILOT_USER]));
        expect(error.kind).to.equal("malformed");
        expect(error.message).to.contain(says);
      }
      expect(writes()).to.deep.equal([]);
    });

    it("a group's users answered as null, not a list, are an error, not an empty group", async () => {
      emulator.injectFault({
        method: "GET",
        pathPrefix: `/v1.0/groups/${BREAK_GLASS}/transitiveMembers`,
        count: 1,
        body: JSON.stringify({ value: null }),
      });
      const error = await failure(() => transitiveUsersOfGroups(graph, [BREAK_GLASS]));
      expect(error.message).to.match(
        /Could not list the users in the group .*value is not a list\. Graph answered something this version of pulumi-entra-nudge does not understand/,
      );
    });

    it("a report page whose value is null is an error, not an empty report", async () => {
      emulator.injectFault({
        method: "GET",
        pathPrefix: "/v1.0/reports/authenticationMethods/userRegistrationDetails",
        count: 1,
        body: JSON.stringify({ value: null }),
      });
      const error = await failure(async () => {
        for await (const page of userRegistrationDetailsPages(graph, {})) void page;
      });
      expect(error.message).to.match(/cannot read: a page without a value array/);
    });
  });

  describe("enum members this version does not know", () => {
    const id = () => `${emulator.info.tenantId}/registrationCampaign`;

    it("a new campaign state and unknownFutureValue targets are read as they are, shown in the diff, and never written by a read", async () => {
      const answer = await realAnswer(POLICY);
      Object.assign(campaign(answer), {
        state: "enabledWithNewMode",
        includeTargets: [
          {
            id: "all_users",
            targetType: "unknownFutureValue",
            targetedAuthenticationMethod: "passkeysFido2",
          },
        ],
      });
      answerWith(POLICY, { body: JSON.stringify(answer) });
      emulator.clearRequests();
      const recorded = {
        state: "enabled",
        snoozeDurationInDays: 1,
        tenantId: emulator.info.tenantId,
      };
      const read = await provider("RegistrationCampaign").read!(id(), recorded);
      const props = read.props as Json;
      expect(props.state).to.equal("enabledWithNewMode");
      expect(props.includeTargets).to.deep.equal([
        {
          id: "all_users",
          targetType: "unknownFutureValue",
          targetedAuthenticationMethod: "passkeysFido2",
        },
      ]);
      const declared = (await provider("RegistrationCampaign").check!({}, { state: "enabled" }))
        .inputs as Json;
      const diff = await provider("RegistrationCampaign").diff!(
        id(),
        { ...props, ...(read.inputs as Json) },
        declared,
      );
      expect(diff.changes).to.equal(true);
      expect(writes()).to.deep.equal([]);
    });

    it("an explicit declaration overwrites an unknown value (and says so); the settings found keep it for the restore", async () => {
      const answer = await realAnswer(AUTHENTICATOR);
      answer.includeTargets = [
        {
          id: "all_users",
          targetType: "group",
          authenticationMode: "passkeyPush",
          isRegistrationRequired: false,
        },
      ];
      answerWith(AUTHENTICATOR, { body: JSON.stringify(answer), count: 1 });
      const created = await provider("AuthenticatorPolicy").create({ state: "enabled" });
      const original = (created.outs as Json).originalSettings as Json;
      expect((original.includeTargets as Json[])[0].authenticationMode).to.equal("passkeyPush");
      expect(warnings.join("\n")).to.contain("passkeyPush");
      expect(writes().map((w) => w.method)).to.deep.equal(["PATCH"]);
    });
  });
});

function campaign(answer: Json): Json {
  const enforcement = answer.registrationEnforcement as Json;
  return enforcement.authenticationMethodsRegistrationCampaign as Json;
}
