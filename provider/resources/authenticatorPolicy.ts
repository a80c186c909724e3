// The Microsoft Authenticator method policy resource (public API fixed by DESIGN.md).
import * as pulumi from "@pulumi/pulumi";
import type { AuthenticatorSettings } from "../model";
import { joinAuthenticator } from "./eligibilityCheck";
import { canonicalProps } from "./canonical";
import { shimProvider } from "./shim";
import { claimSingleton } from "./singletons";

type TargetInput<T extends string> = pulumi.Input<{
  id: pulumi.Input<string>;
  targetType: pulumi.Input<T>;
}>;

export interface FeatureSettingInput {
  state: pulumi.Input<"default" | "enabled" | "disabled">;
  includeTarget?: TargetInput<"group" | "administrativeUnit" | "role">;
  excludeTarget?: TargetInput<"group" | "administrativeUnit" | "role">;
}

export interface AuthenticatorPolicyArgs {
  state: pulumi.Input<"enabled" | "disabled">;
  /** Default: all users in mode "any". */
  includeTargets?: pulumi.Input<
    pulumi.Input<{
      id: pulumi.Input<string>;
      targetType: pulumi.Input<"user" | "group">;
      /** Default "any". "deviceBasedPush" (passwordless) makes users ineligible for the nudge. */
      authenticationMode?: pulumi.Input<"any" | "push" | "deviceBasedPush">;
      isRegistrationRequired?: pulumi.Input<boolean>;
    }>[]
  >;
  excludeTargets?: pulumi.Input<TargetInput<"user" | "group">[]>;
  /** Authenticator one-time codes. Omitted: not managed. */
  isSoftwareOathEnabled?: pulumi.Input<boolean>;
  /** Each one omitted: not managed. Number matching is enforced by Microsoft and cannot be set. */
  featureSettings?: pulumi.Input<{
    displayAppInformationRequiredState?: pulumi.Input<FeatureSettingInput>;
    displayLocationInformationRequiredState?: pulumi.Input<FeatureSettingInput>;
    /** Beta. */
    companionAppAllowedState?: pulumi.Input<FeatureSettingInput>;
  }>;
  onDelete?: pulumi.Input<"restore" | "retain">;
  /**
   * When an update would overwrite settings changed outside this stack since it last applied or
   * refreshed them (another stack, a script, the portal), fail before writing anything, naming
   * each change (last applied → live), instead of overwriting them with a warning. Default false.
   * Provider-only: never sent to Graph, never a diff (changing it alone writes nothing), not an
   * output. A preview does not read the tenant; `pulumi preview --refresh` shows such changes.
   */
  failOnExternalChange?: pulumi.Input<boolean>;
  /**
   * A change (adoption included) that takes Microsoft Authenticator from users who have it registered
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

export class AuthenticatorPolicy extends pulumi.dynamic.Resource {
  declare readonly state: pulumi.Output<string>;
  declare readonly includeTargets: pulumi.Output<
    {
      id: string;
      targetType: string;
      authenticationMode: string;
      isRegistrationRequired: boolean;
    }[]
  >;
  declare readonly excludeTargets: pulumi.Output<{ id: string; targetType: string }[]>;
  declare readonly isSoftwareOathEnabled: pulumi.Output<boolean | undefined>;
  declare readonly featureSettings: pulumi.Output<AuthenticatorSettings["featureSettings"]>;
  declare readonly onDelete: pulumi.Output<string>;
  declare readonly tenantId: pulumi.Output<string>;
  /** The configuration as it was when the resource adopted it; restored on delete. */
  declare readonly originalSettings: pulumi.Output<AuthenticatorSettings>;

  constructor(name: string, args: AuthenticatorPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    claimSingleton("AuthenticatorPolicy", "the Microsoft Authenticator configuration", name);
    super(
      shimProvider("AuthenticatorPolicy"),
      name,
      // Every output is named here (see RegistrationCampaign).
      canonicalProps("AuthenticatorPolicy", {
        includeTargets: undefined,
        excludeTargets: undefined,
        isSoftwareOathEnabled: undefined,
        featureSettings: undefined,
        onDelete: undefined,
        tenantId: undefined,
        originalSettings: undefined,
        ...args,
      }),
      opts,
      "entra-nudge",
      "AuthenticatorPolicy",
    );
    // The preview check against the program's RegistrationCampaign (eligibilityCheck.ts).
    joinAuthenticator(name, args);
  }
}
