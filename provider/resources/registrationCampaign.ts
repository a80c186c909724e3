// The registration campaign resource (public API fixed by DESIGN.md).
import * as pulumi from "@pulumi/pulumi";
import type { CampaignSettings } from "../model";
import { joinCampaign } from "./eligibilityCheck";
import { canonicalProps } from "./canonical";
import { shimProvider } from "./shim";
import { claimSingleton } from "./singletons";

export interface RegistrationCampaignArgs {
  /**
   * "default" is Microsoft managed: Microsoft decides the method, the snooze days and the snooze
   * limit (and since 2026 moves campaigns to passkeys), so they cannot be declared with it.
   * Pin "enabled" for a predictable campaign.
   */
  state: pulumi.Input<"enabled" | "disabled" | "default">;
  /**
   * The campaign's one method, written to every include target: "microsoftAuthenticator"
   * (default) or "fido2" (a passkey; needs a PasskeyPolicy enabling the targets with
   * self-service setup). Read in any case; written in the documented lower case.
   */
  targetedAuthenticationMethod?: pulumi.Input<"microsoftAuthenticator" | "fido2">;
  /** 0–14; 0 prompts at every MFA sign-in. Default 1. Not with state "default". */
  snoozeDurationInDays?: pulumi.Input<number>;
  /** Beta only. Omitted: not managed (never read or written). */
  enforceRegistrationAfterAllowedSnoozes?: pulumi.Input<boolean>;
  /** Default: all users. */
  includeTargets?: pulumi.Input<
    pulumi.Input<{
      id: pulumi.Input<string>;
      targetType: pulumi.Input<"user" | "group">;
      /** Only if equal to the campaign's method (one method per campaign). */
      targetedAuthenticationMethod?: pulumi.Input<"microsoftAuthenticator" | "fido2">;
    }>[]
  >;
  /** Default: none. Exclusion wins over inclusion. */
  excludeTargets?: pulumi.Input<
    pulumi.Input<{ id: pulumi.Input<string>; targetType: pulumi.Input<"user" | "group"> }>[]
  >;
  /**
   * Beta `optOutSettings.passkeyDynamicMigration`: true delays Microsoft's move of the tenant to
   * passkeys, only until 2027-02-01 (the preview warns). Omitted: not managed.
   */
  passkeyMigrationOptOut?: pulumi.Input<boolean>;
  /** On destroy: "restore" the settings found at adoption (default) or "retain" the tenant's. */
  onDelete?: pulumi.Input<"restore" | "retain">;
  /**
   * When the program also declares an AuthenticatorPolicy, targets that cannot be nudged (not
   * enabled for Microsoft Authenticator, or only in Passwordless mode) fail the preview instead of
   * warning. Default false. Provider-only: never sent to Graph.
   */
  strictEligibility?: pulumi.Input<boolean>;
  /**
   * When an update would overwrite settings changed outside this stack since it last applied or
   * refreshed them (another stack, a script, the portal), fail before writing anything, naming
   * each change (last applied → live), instead of overwriting them with a warning. Default false.
   * Provider-only: never sent to Graph, never a diff (changing it alone writes nothing), not an
   * output. A preview does not read the tenant; `pulumi preview --refresh` shows such changes.
   */
  failOnExternalChange?: pulumi.Input<boolean>;
}

export class RegistrationCampaign extends pulumi.dynamic.Resource {
  declare readonly state: pulumi.Output<string>;
  /** Absent under state "default" (Microsoft decides). */
  declare readonly targetedAuthenticationMethod: pulumi.Output<string | undefined>;
  /** Not an output under state "default" (Microsoft decides); typed as before for compatibility. */
  declare readonly snoozeDurationInDays: pulumi.Output<number>;
  declare readonly enforceRegistrationAfterAllowedSnoozes: pulumi.Output<boolean | undefined>;
  declare readonly includeTargets: pulumi.Output<
    { id: string; targetType: string; targetedAuthenticationMethod?: string }[]
  >;
  declare readonly excludeTargets: pulumi.Output<{ id: string; targetType: string }[]>;
  declare readonly passkeyMigrationOptOut: pulumi.Output<boolean | undefined>;
  declare readonly onDelete: pulumi.Output<string>;
  declare readonly strictEligibility: pulumi.Output<boolean | undefined>;
  /** The tenant whose campaign this is. */
  declare readonly tenantId: pulumi.Output<string>;
  /** The campaign as it was when the resource adopted it; restored on delete. */
  declare readonly originalSettings: pulumi.Output<CampaignSettings>;

  constructor(name: string, args: RegistrationCampaignArgs, opts?: pulumi.CustomResourceOptions) {
    claimSingleton("RegistrationCampaign", "the registration campaign", name);
    // The preview check against the program's AuthenticatorPolicy (eligibilityCheck.ts).
    const check = joinCampaign(name, args);
    super(
      shimProvider("RegistrationCampaign"),
      name,
      // Every output is named here: only keys present in the props become output properties, and
      // an omitted argument (a default) is still an output the provider fills in.
      canonicalProps("RegistrationCampaign", {
        targetedAuthenticationMethod: undefined,
        snoozeDurationInDays: undefined,
        enforceRegistrationAfterAllowedSnoozes: undefined,
        includeTargets: undefined,
        excludeTargets: undefined,
        passkeyMigrationOptOut: undefined,
        onDelete: undefined,
        strictEligibility: undefined,
        tenantId: undefined,
        originalSettings: undefined,
        ...args,
        state: check.state,
      }),
      opts,
      "entra-nudge",
      "RegistrationCampaign",
    );
    check.attach(this);
  }
}
