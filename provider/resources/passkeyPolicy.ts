// The passkey (FIDO2) method policy resource (public API fixed by DESIGN.md).
import * as pulumi from "@pulumi/pulumi";
import type { PasskeyProfile, PasskeySettings } from "../model";
import { joinPasskey } from "./eligibilityCheck";
import { canonicalProps } from "./canonical";
import { shimProvider } from "./shim";
import { claimSingleton } from "./singletons";

type TargetInput = pulumi.Input<{
  id: pulumi.Input<string>;
  targetType: pulumi.Input<"user" | "group">;
}>;

export interface PasskeyProfileInput {
  /** Unique; the default profile keeps its name (Graph refuses renaming it). */
  name: pulumi.Input<string>;
  passkeyTypes: pulumi.Input<pulumi.Input<"deviceBound" | "synced">[]>;
  /** Default "disabled". "registrationOnly" only with passkeyTypes ["deviceBound"]. */
  attestationEnforcement?: pulumi.Input<"disabled" | "registrationOnly">;
  /** Omitted: every key. */
  keyRestrictions?: pulumi.Input<{
    enforcementType: pulumi.Input<"allow" | "block">;
    aaGuids: pulumi.Input<pulumi.Input<string>[]>;
  }>;
}

export interface PasskeyPolicyArgs {
  state: pulumi.Input<"enabled" | "disabled">;
  /** Users may set up passkeys themselves; a passkey campaign needs it. Default true. */
  isSelfServiceRegistrationAllowed?: pulumi.Input<boolean>;
  /**
   * Omitted: not managed. Declared: the whole set (Graph replaces the list), so a profile left out
   * is deleted, once no target names it; the tenant's default profile is never deleted.
   */
  passkeyProfiles?: pulumi.Input<pulumi.Input<PasskeyProfileInput>[]>;
  /** Default: all users, with the default profile. */
  includeTargets?: pulumi.Input<
    pulumi.Input<{
      id: pulumi.Input<string>;
      targetType: pulumi.Input<"user" | "group">;
      isRegistrationRequired?: pulumi.Input<boolean>;
      /** Profile names or ids; default: the tenant's default profile. */
      allowedPasskeyProfiles?: pulumi.Input<pulumi.Input<string>[]>;
    }>[]
  >;
  excludeTargets?: pulumi.Input<TargetInput[]>;
  /** On destroy: "restore" the settings found at adoption (default) or "retain" the tenant's. */
  onDelete?: pulumi.Input<"restore" | "retain">;
  /**
   * When an update would overwrite settings changed outside this stack since it last applied or
   * refreshed them, fail before writing anything instead of overwriting them with a warning.
   * Default false. Provider-only.
   */
  failOnExternalChange?: pulumi.Input<boolean>;
  /**
   * A change (adoption included) that takes a passkey (or FIDO2 security key) from users who have it registered
   * fails at preview, naming how many lose it, how many use it as their default MFA method and how
   * many have no other MFA method; true lets it go on, still shown as a warning. Default false.
   * Provider-only, like failOnExternalChange.
   */
  allowMethodLoss?: pulumi.Input<boolean>;
  /**
   * Break-glass accounts (members of the entra-nudge:breakGlassGroups groups), by object id or user
   * principal name, that this change may leave with no MFA method. Any other break-glass account
   * left with none fails the check even with allowMethodLoss: true. Provider-only.
   */
  allowMethodLossFor?: pulumi.Input<pulumi.Input<string>[]>;
}

export class PasskeyPolicy extends pulumi.dynamic.Resource {
  declare readonly state: pulumi.Output<string>;
  declare readonly isSelfServiceRegistrationAllowed: pulumi.Output<boolean>;
  /** The profiles as Graph holds them, with their ids (only when declared). */
  declare readonly passkeyProfiles: pulumi.Output<PasskeyProfile[] | undefined>;
  declare readonly includeTargets: pulumi.Output<
    {
      id: string;
      targetType: string;
      isRegistrationRequired: boolean;
      allowedPasskeyProfiles?: string[];
    }[]
  >;
  declare readonly excludeTargets: pulumi.Output<{ id: string; targetType: string }[]>;
  declare readonly onDelete: pulumi.Output<string>;
  declare readonly tenantId: pulumi.Output<string>;
  /** Every profile's id, by name: what a target naming a profile by name refers to. */
  declare readonly passkeyProfileIds: pulumi.Output<Record<string, string>>;
  /** The configuration as it was when the resource adopted it; restored on delete. */
  declare readonly originalSettings: pulumi.Output<PasskeySettings>;

  constructor(name: string, args: PasskeyPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    claimSingleton("PasskeyPolicy", "the passkey (FIDO2) configuration", name);
    super(
      shimProvider("PasskeyPolicy"),
      name,
      // Every output is named here (see RegistrationCampaign).
      canonicalProps("PasskeyPolicy", {
        isSelfServiceRegistrationAllowed: undefined,
        passkeyProfiles: undefined,
        includeTargets: undefined,
        excludeTargets: undefined,
        onDelete: undefined,
        tenantId: undefined,
        passkeyProfileIds: undefined,
        defaultPasskeyProfile: undefined,
        originalSettings: undefined,
        ...args,
      }),
      opts,
      "entra-nudge",
      "PasskeyPolicy",
    );
    // The preview check against the program's passkey campaign (eligibilityCheck.ts).
    joinPasskey(name, args);
  }
}
