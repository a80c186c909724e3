// Which retirement date applies to a user (graph-contract-passkeys.md §7, SMSFAQ, ms.date
// 2026-09-23): Microsoft-provided SMS and voice end on 2027-02-01 for everyone except Global
// Administrators and external users, who follow 2027-07-01; internal guests stay on 2027-02-01.

/** SMSRET: Microsoft-provided SMS and voice delivery ends (public cloud). */
export const SMS_VOICE_DEADLINE = "2027-02-01";
/** SMSFAQ: the date for Global Administrators and external users. */
export const LATER_SMS_VOICE_DEADLINE = "2027-07-01";
export const SMS_VOICE_DEADLINES = [SMS_VOICE_DEADLINE, LATER_SMS_VOICE_DEADLINE] as const;
export type SmsVoiceDeadline = (typeof SMS_VOICE_DEADLINES)[number];

/** The CSV's and the JSON's population names. */
export type Population = "member" | "internalGuest" | "externalUser" | "globalAdministrator";

export const POPULATION_TEXT: Record<Population, string> = {
  member: "member",
  internalGuest: "internal guest",
  externalUser: "external user",
  globalAdministrator: "Global Administrator",
};

/**
 * An external user signs in with another Microsoft Entra tenant or identity provider (Microsoft's
 * B2B user properties page, learn.microsoft.com/entra/external-id/user-properties: external guest
 * or external member, whatever the userType): a `federated` identity (ExternalAzureAD,
 * MicrosoftAccount, mail for email one-time passcodes, google.com, facebook.com, a SAML/WS-Fed
 * issuer), or an invitation not yet redeemed (externalUserState PendingAcceptance: the user will
 * sign in with their own identity). An internal guest (userType Guest, an account of this tenant)
 * has neither.
 */
export function isExternalUser(user: {
  externalUserState?: string | null;
  identities?: readonly { signInType?: string | null }[] | null;
}): boolean {
  return (
    user.externalUserState === "PendingAcceptance" ||
    (user.identities ?? []).some((i) => i.signInType?.toLowerCase() === "federated")
  );
}

export function populationOf(user: {
  userType: "member" | "guest";
  globalAdministrator: boolean;
  external: boolean;
}): Population {
  if (user.globalAdministrator) return "globalAdministrator";
  if (user.external) return "externalUser";
  return user.userType === "guest" ? "internalGuest" : "member";
}

export function deadlineOf(population: Population): SmsVoiceDeadline {
  return population === "globalAdministrator" || population === "externalUser"
    ? LATER_SMS_VOICE_DEADLINE
    : SMS_VOICE_DEADLINE;
}
