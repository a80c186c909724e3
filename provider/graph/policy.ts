// Typed calls for the tenant-wide authentication methods policy and its Microsoft Authenticator
// configuration (graph-contract.md §1–§3). Writes send only the part the caller owns.
import type {
  AuthenticationMethodsPolicy,
  MicrosoftAuthenticatorAuthenticationMethodConfiguration,
  RegistrationEnforcement,
} from "@microsoft/microsoft-graph-types";
import { checkAuthenticatorAnswer, checkFido2Answer, checkPolicyAnswer } from "./answers";
import type { GraphClient, GraphVersion } from "./client";

export const POLICY_PATH = "/policies/authenticationMethodsPolicy";
export const AUTHENTICATOR_PATH = `${POLICY_PATH}/authenticationMethodConfigurations/MicrosoftAuthenticator`;
export const AUTHENTICATOR_ODATA_TYPE =
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration";

// §1.2 and §3.2: reads need Policy.Read.AuthenticationMethod (the ReadWrite permission implies it),
// writes need Policy.ReadWrite.AuthenticationMethod.
export const POLICY_READ = "Policy.Read.AuthenticationMethod";
export const POLICY_WRITE = "Policy.ReadWrite.AuthenticationMethod";

/**
 * Without this header Graph answers "unknownFutureValue" for enum members added after it
 * (graph-contract.md §0.2): the settings found on adoption would then not be the real ones, and
 * restoring them on delete would send a value Graph refuses. With it, a new member (say a new
 * campaign state) is read as itself, shown in diffs and drift, and restored as it was.
 */
const INCLUDE_UNKNOWN_ENUM_MEMBERS = { Prefer: "include-unknown-enum-members" };

/** GET the policy. The beta version carries enforceRegistrationAfterAllowedSnoozes (§10 item 1). */
export async function getAuthenticationMethodsPolicy(
  graph: GraphClient,
  version: GraphVersion = "v1.0",
): Promise<AuthenticationMethodsPolicy> {
  const operation = "read the authentication methods policy";
  const policy = await graph.request<AuthenticationMethodsPolicy>({
    operation,
    method: "GET",
    path: POLICY_PATH,
    version,
    headers: INCLUDE_UNKNOWN_ENUM_MEMBERS,
    permission: POLICY_READ,
    target: "the authentication methods policy",
  });
  checkPolicyAnswer(policy, operation, `GET /${version}${POLICY_PATH}`);
  return policy;
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
    // A restore may send a member found on adoption that is newer than unknownFutureValue; Graph
    // refuses such a member without this header (emulator/graph/enums.ts).
    headers: INCLUDE_UNKNOWN_ENUM_MEMBERS,
    permission: POLICY_WRITE,
    target: "the authentication methods policy",
  });
}

/**
 * PATCH the beta `optOutSettings` alone, as Microsoft's only example sends it
 * (graph-contract-passkeys.md §2: `PATCH beta/policies/authenticationmethodspolicy
 * {"optOutSettings": {"passkeyDynamicMigration": true}}`): never beside the campaign, a form no
 * page documents. Answers the updated policy (200).
 */
export function patchPasskeyMigrationOptOut(
  graph: GraphClient,
  optOutSettings: { passkeyDynamicMigration?: boolean | null },
): Promise<AuthenticationMethodsPolicy> {
  return graph.request<AuthenticationMethodsPolicy>({
    operation: "update the passkey migration opt-out",
    method: "PATCH",
    path: POLICY_PATH,
    version: "beta",
    body: { optOutSettings },
    permission: POLICY_WRITE,
    target: "the authentication methods policy",
  });
}

export async function getAuthenticatorConfiguration(
  graph: GraphClient,
  version: GraphVersion = "v1.0",
): Promise<MicrosoftAuthenticatorAuthenticationMethodConfiguration> {
  const operation = "read the Microsoft Authenticator method configuration";
  const configuration =
    await graph.request<MicrosoftAuthenticatorAuthenticationMethodConfiguration>({
      operation,
      method: "GET",
      path: AUTHENTICATOR_PATH,
      version,
      headers: INCLUDE_UNKNOWN_ENUM_MEMBERS,
      permission: POLICY_READ,
      target: "the Microsoft Authenticator method configuration",
    });
  checkAuthenticatorAnswer(configuration, operation, `GET /${version}${AUTHENTICATOR_PATH}`);
  return configuration;
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
    headers: INCLUDE_UNKNOWN_ENUM_MEMBERS, // as for the campaign's PATCH
    permission: POLICY_WRITE,
    target: "the Microsoft Authenticator method configuration",
  });
}

/** The method configurations read for eligibility and readiness (passkeys §4, §7). */
export type MethodConfigurationId = "Fido2" | "Sms" | "Voice";

const METHOD_CONFIGURATION_NAMES: Record<MethodConfigurationId, string> = {
  Fido2: "the passkey (FIDO2) method configuration",
  Sms: "the SMS method configuration",
  Voice: "the Voice call method configuration",
};

/**
 * GET one method configuration (`authenticationMethodConfigurations/{id}`, same on v1.0 and beta;
 * passkeys §4, §7): read only, Policy.Read.AuthenticationMethod. The answer is returned as Graph
 * gave it; the model's mappers read what they need.
 */
export async function getMethodConfiguration(
  graph: GraphClient,
  id: MethodConfigurationId,
  version: GraphVersion = "v1.0",
): Promise<Record<string, unknown>> {
  const path = `${POLICY_PATH}/authenticationMethodConfigurations/${id}`;
  const answer = await graph.request<Record<string, unknown>>({
    operation: `read ${METHOD_CONFIGURATION_NAMES[id]}`,
    method: "GET",
    path,
    version,
    headers: INCLUDE_UNKNOWN_ENUM_MEMBERS,
    permission: POLICY_READ,
    target: METHOD_CONFIGURATION_NAMES[id],
  });
  return answer !== null && typeof answer === "object" ? answer : {};
}

export const FIDO2_PATH = `${POLICY_PATH}/authenticationMethodConfigurations/Fido2`;
const FIDO2_ODATA_TYPE = "#microsoft.graph.fido2AuthenticationMethodConfiguration";

/** GET the passkey (FIDO2) configuration (graph-contract-passkeys.md §4; same on v1.0 and beta). */
export async function getFido2Configuration(
  graph: GraphClient,
  version: GraphVersion = "v1.0",
): Promise<Record<string, unknown>> {
  const configuration = await getMethodConfiguration(graph, "Fido2", version);
  checkFido2Answer(
    configuration,
    `read ${METHOD_CONFIGURATION_NAMES.Fido2}`,
    `GET /${version}${FIDO2_PATH}`,
  );
  return configuration;
}

/** PATCH the passkey configuration; like every method configuration it needs @odata.type and answers 204. */
export async function patchFido2Configuration(
  graph: GraphClient,
  body: Record<string, unknown>,
  version: GraphVersion = "v1.0",
): Promise<void> {
  await graph.request<void>({
    operation: "update the passkey (FIDO2) method configuration",
    method: "PATCH",
    path: FIDO2_PATH,
    version,
    body: { ...body, "@odata.type": FIDO2_ODATA_TYPE },
    headers: INCLUDE_UNKNOWN_ENUM_MEMBERS,
    permission: POLICY_WRITE,
    target: "the passkey (FIDO2) method configuration",
  });
}
