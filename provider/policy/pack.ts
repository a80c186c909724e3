// The guardrails as a Pulumi policy pack (@pulumi/policy): each policy hands the resource's
// properties and its settings to a rule in rules.ts and reports what the rule finds. Runs in the
// policy pack's own process, which the engine starts for `pulumi preview|up --policy-pack DIR`.
import {
  PolicyPack,
  type EnforcementLevel,
  type Policies,
  type PolicyPackConfig,
  type ReportViolation,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { UNKNOWN, type ResourceKind } from "../model";
import {
  CONFIG_SCHEMAS,
  POLICY,
  parseBreakGlassConfig,
  parseCampaignPinnedConfig,
  parseMaxSnoozeConfig,
  type PolicyName,
} from "./config";
import {
  authenticatorOtpViolations,
  breakGlassAuthenticatorViolations,
  breakGlassCampaignViolations,
  breakGlassPasskeyViolations,
  campaignPasskeyPolicyViolations,
  campaignPinnedViolations,
  campaignSnoozeViolations,
  campaignTargetsViolations,
  loginContextViolations,
  type Props,
  type Violation,
} from "./rules";

export const POLICY_PACK_NAME = "entra-nudge-guardrails";

/** The resources' Pulumi types (DESIGN.md: the module/type arguments of dynamic.Resource). */
export const RESOURCE_TYPES: Record<Exclude<ResourceKind, "PilotGroup">, string> = {
  RegistrationCampaign: "pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign",
  AuthenticatorPolicy: "pulumi-nodejs:dynamic/entra-nudge:AuthenticatorPolicy",
  PasskeyPolicy: "pulumi-nodejs:dynamic/entra-nudge:PasskeyPolicy",
};

/**
 * A plain copy of properties read through @pulumi/policy's unknown-checking proxy, each value
 * unknown during preview replaced by the model's UNKNOWN sentinel. The proxy throws on reading an
 * unknown value (its UnknownValueError carries `unknownTypeSentinel`), which would abandon the whole
 * policy; reading value by value lets a rule check what is known (a snooze) while a group id waits.
 */
export function knownProps(props: unknown): Props {
  const copied = copyKnown(props);
  return typeof copied === "object" && copied !== null && !Array.isArray(copied)
    ? (copied as Props)
    : {};
}

function isUnknownValueError(error: unknown): boolean {
  return typeof error === "object" && error !== null && "unknownTypeSentinel" in error;
}

function copyKnown(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const read = (key: string | number): unknown => {
    try {
      return copyKnown((value as Record<string | number, unknown>)[key]);
    } catch (error) {
      if (isUnknownValueError(error)) return UNKNOWN;
      throw error;
    }
  };
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => read(i));
  return Object.fromEntries(Object.keys(value).map((key) => [key, read(key)]));
}

type Rule = (props: Props, config: unknown) => Violation[];

function report(violations: Violation[], reportViolation: ReportViolation, urn?: string): void {
  for (const violation of violations) reportViolation(violation.message, urn);
}

interface PolicyText {
  description: string;
  remediationSteps: string;
  enforcementLevel?: EnforcementLevel;
  framework?: ResourceValidationPolicy["framework"];
}

/** A resource policy that applies a rule per resource kind (other types are not looked at). */
function resourcePolicy(
  name: PolicyName,
  text: PolicyText,
  rules: Partial<Record<keyof typeof RESOURCE_TYPES, Rule>>,
): ResourceValidationPolicy {
  return {
    name,
    ...text,
    enforcementLevel: text.enforcementLevel ?? "mandatory",
    ...(CONFIG_SCHEMAS[name] ? { configSchema: CONFIG_SCHEMAS[name] } : {}),
    validateResource: (args, reportViolation) => {
      const kind = (Object.keys(RESOURCE_TYPES) as (keyof typeof RESOURCE_TYPES)[]).find(
        (k) => RESOURCE_TYPES[k] === args.type,
      );
      const rule = kind && rules[kind];
      if (!rule) return;
      report(rule(knownProps(args.props), args.getConfig<object>()), reportViolation);
    },
  };
}

const SCUBA_3_3: ResourceValidationPolicy["framework"] = {
  name: "CISA SCuBA Microsoft Entra ID baseline",
  version: "MS.AAD.3.3v2",
  reference: "https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md",
  specification:
    "If Microsoft Authenticator is enabled, it SHALL be configured to show login context information.",
};

const targetsEligible: StackValidationPolicy = {
  name: POLICY.campaignTargetsEligible,
  description:
    "The campaign's targets are enabled for Microsoft Authenticator in mode Any or Push: anyone else is never nudged.",
  remediationSteps:
    'Add each campaign target to the AuthenticatorPolicy\'s includeTargets with authenticationMode "any" or "push", or remove it from the campaign.',
  enforcementLevel: "mandatory",
  // A stack policy: the rule needs both singletons, which are separate resources.
  validateStack: (args, reportViolation) => {
    const ofType = (type: string) => args.resources.filter((r) => r.type === type);
    const campaigns = ofType(RESOURCE_TYPES.RegistrationCampaign);
    const authenticators = ofType(RESOURCE_TYPES.AuthenticatorPolicy);
    if (campaigns.length === 0) args.notApplicable("The stack declares no RegistrationCampaign.");
    if (authenticators.length === 0) {
      args.notApplicable(
        "The stack declares no AuthenticatorPolicy, so the campaign's targets cannot be checked against it; declare both in one stack.",
      );
    }
    for (const campaign of campaigns) {
      for (const authenticator of authenticators) {
        report(
          campaignTargetsViolations(knownProps(campaign.props), knownProps(authenticator.props)),
          reportViolation,
          campaign.urn,
        );
      }
    }
  },
};

const passkeyPolicyDeclared: StackValidationPolicy = {
  name: POLICY.campaignPasskeyPolicy,
  description:
    "A campaign that targets passkeys (fido2) has a PasskeyPolicy in the stack, enabled with self-service setup: without it nobody can set up a passkey.",
  remediationSteps:
    'Declare a PasskeyPolicy with state "enabled" and isSelfServiceRegistrationAllowed: true in the campaign\'s stack.',
  enforcementLevel: "mandatory",
  // A stack policy: the rule needs the campaign and the PasskeyPolicy, separate resources.
  validateStack: (args, reportViolation) => {
    const ofType = (type: string) => args.resources.filter((r) => r.type === type);
    const campaigns = ofType(RESOURCE_TYPES.RegistrationCampaign);
    if (campaigns.length === 0) args.notApplicable("The stack declares no RegistrationCampaign.");
    const passkeys = ofType(RESOURCE_TYPES.PasskeyPolicy).map((r) => knownProps(r.props));
    for (const campaign of campaigns) {
      report(
        campaignPasskeyPolicyViolations(knownProps(campaign.props), passkeys),
        reportViolation,
        campaign.urn,
      );
    }
  },
};

/** The guardrails, in the order docs/guardrails.md lists them. */
export function guardrailPolicies(): Policies {
  return [
    resourcePolicy(
      POLICY.breakGlassExcluded,
      {
        description:
          "Break-glass (emergency access) accounts are excluded from the campaign and from Authenticator targets that require registration or allow only Passwordless mode, and keep the passkey they sign in with (the PasskeyPolicy enabled for them, never excluding them).",
        remediationSteps:
          'Add each break-glass group and user to the excludeTargets of the RegistrationCampaign and the AuthenticatorPolicy; keep them included in the PasskeyPolicy, not excluded (set signInMethod to "certificate" if they sign in with certificate-based authentication).',
      },
      {
        RegistrationCampaign: (props, config) =>
          breakGlassCampaignViolations(props, parseBreakGlassConfig(config)),
        AuthenticatorPolicy: (props, config) =>
          breakGlassAuthenticatorViolations(props, parseBreakGlassConfig(config)),
        PasskeyPolicy: (props, config) =>
          breakGlassPasskeyViolations(props, parseBreakGlassConfig(config)),
      },
    ),
    resourcePolicy(
      POLICY.campaignPinned,
      {
        description:
          "The registration campaign is pinned to a state the organisation chose, not left Microsoft managed.",
        remediationSteps: 'Declare state "enabled" or "disabled" on the RegistrationCampaign.',
      },
      {
        RegistrationCampaign: (props, config) =>
          campaignPinnedViolations(props, parseCampaignPinnedConfig(config)),
      },
    ),
    resourcePolicy(
      POLICY.campaignMaxSnooze,
      {
        description: "Users may snooze the registration prompt for at most the configured days.",
        remediationSteps: "Lower snoozeDurationInDays on the RegistrationCampaign.",
      },
      {
        RegistrationCampaign: (props, config) =>
          campaignSnoozeViolations(props, parseMaxSnoozeConfig(config)),
      },
    ),
    targetsEligible,
    passkeyPolicyDeclared,
    resourcePolicy(
      POLICY.loginContext,
      {
        description:
          "CISA SCuBA MS.AAD.3.3v2: Microsoft Authenticator shows the application name and the location in notifications, for all users.",
        remediationSteps:
          'Declare featureSettings.displayAppInformationRequiredState and displayLocationInformationRequiredState as { state: "enabled", includeTarget: { id: "all_users", targetType: "group" } }.',
        framework: SCUBA_3_3,
      },
      { AuthenticatorPolicy: (props) => loginContextViolations(props) },
    ),
    resourcePolicy(
      POLICY.authenticatorOtpOff,
      {
        description:
          "CISA SCuBA MS.AAD.3.3v2: Microsoft Authenticator one-time codes are off (Allow use of Microsoft Authenticator OTP: No).",
        remediationSteps: "Declare isSoftwareOathEnabled: false on the AuthenticatorPolicy.",
        framework: SCUBA_3_3,
      },
      { AuthenticatorPolicy: (props) => authenticatorOtpViolations(props) },
    ),
  ];
}

/**
 * Starts the guardrails policy pack (call it from a policy pack's entry point). `config` is the
 * pack's initial configuration, overridden by `--policy-pack-config`.
 */
export function startGuardrailsPolicyPack(
  name: string = POLICY_PACK_NAME,
  config?: PolicyPackConfig,
): PolicyPack {
  return new PolicyPack(
    name,
    {
      description:
        "Guardrails for the Microsoft Entra registration campaign and the Microsoft Authenticator policy (pulumi-entra-nudge).",
      policies: guardrailPolicies(),
    },
    config,
  );
}
