// The pilot group resource: a security group with members and owners (public API fixed by DESIGN.md).
import * as pulumi from "@pulumi/pulumi";
import { canonicalProps } from "./canonical";
import { shimProvider } from "./shim";

export interface PilotGroupArgs {
  displayName: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** Default: derived from displayName. */
  mailNickname?: pulumi.Input<string>;
  /** User principal names or object ids. Omitted: membership not managed. */
  members?: pulumi.Input<pulumi.Input<string>[]>;
  owners?: pulumi.Input<pulumi.Input<string>[]>;
}

export class PilotGroup extends pulumi.dynamic.Resource {
  declare readonly displayName: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly mailNickname: pulumi.Output<string>;
  declare readonly members: pulumi.Output<string[] | undefined>;
  declare readonly owners: pulumi.Output<string[] | undefined>;
  /** Object ids of the members, sorted. */
  declare readonly memberIds: pulumi.Output<string[]>;
  /** Object ids of the owners, sorted. */
  declare readonly ownerIds: pulumi.Output<string[]>;
  declare readonly tenantId: pulumi.Output<string>;

  constructor(name: string, args: PilotGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimProvider("PilotGroup"),
      name,
      // Every output is named here (see RegistrationCampaign).
      canonicalProps("PilotGroup", {
        description: undefined,
        mailNickname: undefined,
        members: undefined,
        owners: undefined,
        memberIds: undefined,
        ownerIds: undefined,
        tenantId: undefined,
        ...args,
      }),
      opts,
      "entra-nudge",
      "PilotGroup",
    );
  }
}
