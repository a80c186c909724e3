// Typed calls for the tenant-wide authentication methods policy and its Microsoft Authenticator
// configuration (graph-contract.md §1–§3). Writes send only the part the caller owns.
import type {
  AuthenticationMethodsPolicy,
  MicrosoftAuthenticatorAuthenticationMethodConfiguration,
  RegistrationEnforcement,
} from "@microsoft/microsoft-graph-types";
import type { GraphClient, GraphVersion } from "./client";

export const POLICY_PATH = "/policies/authenticationMethodsPolicy";
export const AUTHENTICATOR_PATH = `${POLICY_PATH}/authenticationMethodConfigurations/MicrosoftAuthenticator`;
export const AUTHENTICATOR_ODATA_TYPE =
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration";

// §1.2 and §3.2: reads need Policy.Read.AuthenticationMethod (the ReadWrite permission implies it),
// writes need Policy.ReadWrite.AuthenticationMethod.
export const POLICY_READ = "Policy.Read.AuthenticationMethod";
export const POLICY_WRITE = "Policy.ReadWrite.AuthenticationMethod";

/** GET the policy. The beta version carries enforceRegistrationAfterAllowedSnoozes (§10 item 1). */
export function getAuthenticationMethodsPolicy(
  graph: GraphClient,
  version: GraphVersion = "v1.0",
): Promise<AuthenticationMethodsPolicy> {
  return graph.request<AuthenticationMethodsPolicy>({
    operation: "read the authentication methods policy",
    method: "GET",
    path: POLICY_PATH,
    version,
    permission: POLICY_READ,
    target: "the authentication methods policy",
  });
}

/**
 * PATCH only `registrationEnforcement` (the Entra how-to's advice, §1.5): the other parts of the
 * policy are never sent, so they cannot be overwritten. Answers the updated policy (200).
 */
export function patchRegistrationEnforcement(
  graph: GraphClient,
  registrationEnforcement: RegistrationEnforcement,
  version: GraphVersion = "v1.0",
): Promise<AuthenticationMethodsPolicy> {
  return graph.request<AuthenticationMethodsPolicy>({
    operation: "update the registration campaign",
    method: "PATCH",
    path: POLICY_PATH,
    version,
    body: { registrationEnforcement },
    permission: POLICY_WRITE,
    target: "the authentication methods policy",
  });
}

export function getAuthenticatorConfiguration(
  graph: GraphClient,
  version: GraphVersion = "v1.0",
): Promise<MicrosoftAuthenticatorAuthenticationMethodConfiguration> {
  return graph.request<MicrosoftAuthenticatorAuthenticationMethodConfiguration>({
    operation: "read the Microsoft Authenticator method configuration",
    method: "GET",
    path: AUTHENTICATOR_PATH,
    version,
    permission: POLICY_READ,
    target: "the Microsoft Authenticator method configuration",
  });
}

/** PATCH the Authenticator configuration; Graph requires @odata.type and answers 204 (§3.1). */
export async function patchAuthenticatorConfiguration(
  graph: GraphClient,
  body: MicrosoftAuthenticatorAuthenticationMethodConfiguration,
  version: GraphVersion = "v1.0",
): Promise<void> {
  await graph.request<void>({
    operation: "update the Microsoft Authenticator method configuration",
    method: "PATCH",
    path: AUTHENTICATOR_PATH,
    version,
    body: { ...body, "@odata.type": AUTHENTICATOR_ODATA_TYPE },
    permission: POLICY_WRITE,
    target: "the Microsoft Authenticator method configuration",
  });
}
