// One stack per tenant singleton (model/sharedSingleton.ts): which other stacks of the backend
// manage the kind a stack is about to adopt, on the same tenant; the running stack, stacks on
// another tenant and other kinds are no conflict.
import {
  isStack,
  otherManagers,
  SingletonManagedElsewhereError,
  stackOfUrn,
  type StackHoldings,
} from "../../provider/model";
import { expect } from "./support";

const TENANT = "11111111-2222-4333-8444-555555555555";
const OTHER_TENANT = "c0ffee00-86f1-41af-91ab-2d7cd011db47";
const SELF = { project: "nudge", stack: "b" };

const campaign = (name: string, tenantId: string) => ({
  kind: "RegistrationCampaign" as const,
  name,
  id: `${tenantId}/registrationCampaign`,
  outputs: { tenantId },
});

describe("one stack per tenant singleton", () => {
  it("reads the stack and project of a URN, the root resource's as any other", () => {
    expect(stackOfUrn("urn:pulumi:dev::nudge::pulumi:pulumi:Stack::nudge-dev")).to.deep.equal({
      stack: "dev",
      project: "nudge",
    });
    expect(stackOfUrn(undefined)).to.equal(undefined);
    expect(stackOfUrn("not a urn")).to.equal(undefined);
  });

  it("tells the running stack by its project and name, fully qualified or not", () => {
    expect(isStack("organization/nudge/b", SELF)).to.equal(true);
    expect(isStack("acme/nudge/b", SELF)).to.equal(true);
    expect(isStack("b", SELF)).to.equal(true);
    expect(isStack("organization/other-project/b", SELF)).to.equal(false);
    expect(isStack("organization/nudge/a", SELF)).to.equal(false);
  });

  it("names another stack's resource of the same kind on the same tenant, and nothing else", () => {
    const stacks: StackHoldings[] = [
      { name: "organization/nudge/a", resources: [campaign("campaign", TENANT.toUpperCase())] },
      { name: "organization/nudge/b", resources: [campaign("own", TENANT)] },
      { name: "organization/nudge/c", resources: [campaign("campaign", OTHER_TENANT)] },
      {
        name: "organization/policies/d",
        resources: [{ ...campaign("auth", TENANT), kind: "AuthenticatorPolicy" }],
      },
      { name: "organization/nudge/e", resources: [] },
      // A state from before tenants were recorded: the id tells the tenant.
      { name: "organization/old/f", resources: [{ ...campaign("legacy", TENANT), outputs: {} }] },
    ];
    expect(otherManagers("RegistrationCampaign", TENANT, SELF, stacks)).to.deep.equal([
      { stack: "organization/nudge/a", resource: "campaign" },
      { stack: "organization/old/f", resource: "legacy" },
    ]);
    expect(otherManagers("PasskeyPolicy", TENANT, SELF, stacks)).to.deep.equal([]);
  });

  it("refuses in words: the other stack, nothing written, the two safe ways", () => {
    const error = new SingletonManagedElsewhereError(
      "RegistrationCampaign",
      "the registration campaign",
      TENANT,
      [{ stack: "organization/nudge/a", resource: "campaign" }],
    );
    expect(error.message).to.include(
      `RegistrationCampaign: the registration campaign of tenant ${TENANT} is already managed by stack "organization/nudge/a" (its RegistrationCampaign "campaign"), so this stack did not adopt it and nothing was written.`,
    );
    expect(error.message).to.include("manage it in one stack only");
    expect(error.message).to.include("`pulumi destroy --stack organization/nudge/a`");
    expect(error.stack).to.not.match(/\n\s+at /);
  });
});
