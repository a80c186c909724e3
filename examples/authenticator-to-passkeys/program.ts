// The staged move from the Microsoft Authenticator nudge to the passkey (FIDO2) nudge
// (docs/passkeys.md, "The staged move"). A campaign has one method for all its targets
// (graph-contract-passkeys.md), so a pilot nudged to passkeys while everyone else is still nudged
// to Authenticator cannot be declared; one stack setting, `stage`, moves through three stages:
//   1: passkeys enabled for the pilot group (a "Pilot" profile); the campaign still nudges every
//      user to Authenticator.
//   2: the campaign's method becomes "fido2", its target the pilot group only.
//   3: passkeys enabled, and the passkey nudge, for every user.
// At every stage the break-glass group is never nudged and keeps its passkeys: emergency accounts
// sign in with a phishing-resistant method, often a security key and nothing else (Microsoft's
// emergency-access guidance, docs/guardrails.md), so the PasskeyPolicy includes them, never
// excludes them.
import * as pulumi from "@pulumi/pulumi";
import {
  AuthenticatorPolicy,
  PasskeyPolicy,
  PilotGroup,
  RegistrationCampaign,
} from "pulumi-entra-nudge";

export const STAGES = [1, 2, 3] as const;
export type Stage = (typeof STAGES)[number];

export interface AuthenticatorToPasskeysSettings {
  stage: Stage;
  /** Object id of the emergency-access (break-glass) group: never nudged, keeps its passkeys. */
  breakGlassGroupId: pulumi.Input<string>;
  /** The passkey pilot's users: user principal names or object ids. */
  pilotMembers: pulumi.Input<string>[];
  pilotGroupName?: pulumi.Input<string>;
}

export interface AuthenticatorToPasskeys {
  pilotGroup: PilotGroup;
  authenticator: AuthenticatorPolicy;
  passkeys: PasskeyPolicy;
  campaign: RegistrationCampaign;
}

/** The settings from stack config (`stage` defaults to 1); a wrong stage is refused. */
export function authenticatorToPasskeysSettings(
  config: pulumi.Config,
): AuthenticatorToPasskeysSettings {
  const stage = Number(config.get("stage") ?? "1");
  if (!isStage(stage)) {
    throw new Error(
      `Stack setting "stage" is "${config.get("stage")}"; use 1 (passkeys enabled for the pilot), ` +
        `2 (the pilot nudged to passkeys) or 3 (everyone nudged to passkeys), ` +
        "e.g. `pulumi config set stage 1`.",
    );
  }
  return {
    stage,
    breakGlassGroupId: config.require("breakGlassGroupId"),
    pilotMembers: config.requireObject<string[]>("pilotMembers"),
    pilotGroupName: config.get("pilotGroupName"),
  };
}

function isStage(value: number): value is Stage {
  return (STAGES as readonly number[]).includes(value);
}

export function authenticatorToPasskeys(
  settings: AuthenticatorToPasskeysSettings,
): AuthenticatorToPasskeys {
  // Declared at every stage, so that widening never deletes it and going back finds it.
  const pilotGroup = new PilotGroup("pilot", {
    displayName: settings.pilotGroupName ?? "Passkey pilot",
    description: "Users who get the passkey registration nudge first.",
    members: settings.pilotMembers,
  });
  const breakGlass = [{ id: settings.breakGlassGroupId, targetType: "group" as const }];
  const passkeyAudience = settings.stage === 3 ? "all_users" : pilotGroup.id;

  // Authenticator stays enabled for everyone: users who set it up keep signing in with it. Its
  // notifications show the app and the location (CISA SCuBA MS.AAD.3.3v2, the policy pack's rule).
  const authenticator = new AuthenticatorPolicy("authenticator", {
    state: "enabled",
    includeTargets: [{ id: "all_users", targetType: "group", authenticationMode: "any" }],
    excludeTargets: breakGlass,
    featureSettings: {
      displayAppInformationRequiredState: { state: "enabled" },
      displayLocationInformationRequiredState: { state: "enabled" },
    },
  });

  // The pilot's profile allows synced passkeys as well as device-bound ones. The default profile is
  // declared as the tenant has it (device-bound only, attestation at registration), and the
  // break-glass group keeps it: their security keys stay usable at every stage.
  const passkeys = new PasskeyPolicy("passkeys", {
    state: "enabled",
    isSelfServiceRegistrationAllowed: true, // a passkey campaign needs self-service setup
    passkeyProfiles: [
      {
        name: "Default passkey profile",
        passkeyTypes: ["deviceBound"],
        attestationEnforcement: "registrationOnly",
      },
      { name: "Pilot", passkeyTypes: ["deviceBound", "synced"] },
    ],
    includeTargets: [
      {
        id: settings.breakGlassGroupId,
        targetType: "group",
        allowedPasskeyProfiles: ["Default passkey profile"],
      },
      { id: passkeyAudience, targetType: "group", allowedPasskeyProfiles: ["Pilot"] },
    ],
  });

  // Stage 1 keeps the Authenticator nudge for everyone; from stage 2 the one method is "fido2",
  // for the users enabled for passkeys (the pilot, then everyone).
  const campaign = new RegistrationCampaign(
    "campaign",
    {
      state: "enabled", // pinned: "default" would let Microsoft choose the method
      targetedAuthenticationMethod: settings.stage === 1 ? "microsoftAuthenticator" : "fido2",
      snoozeDurationInDays: 1,
      includeTargets: [
        { id: settings.stage === 1 ? "all_users" : passkeyAudience, targetType: "group" },
      ],
      excludeTargets: breakGlass,
    },
    // The users are enabled for the method before the campaign nudges them to set it up.
    { dependsOn: [authenticator, passkeys] },
  );

  return { pilotGroup, authenticator, passkeys, campaign };
}
