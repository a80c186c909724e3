// The tenant file: plain data describing one Entra tenant for the Graph emulator (README.md beside
// this file documents it). Policy, configuration and audit entries are stored in Graph's own JSON
// shapes (the beta superset); users and groups use a compact shape because a generated tenant may
// hold 100,000 of them.
import type * as MSGraph from "@microsoft/microsoft-graph-types";

/** An ISO 8601 timestamp, or a negative ISO 8601 duration ("-P3DT4H") meaning "that long before load". */
export type TenantTime = string;

export interface TenantApp {
  /** The name the HTTP layer and tests use ("writer", "reader"). */
  name: string;
  clientId: string;
  /** Shown as the initiating application in audit records. */
  displayName?: string;
  servicePrincipalId?: string;
  /** Application permissions granted and consented (the token's `roles`). */
  roles: string[];
  /** Delegated permissions consented for the tenant (a signed-in user's token's `scp`). */
  scopes?: string[];
  /** "Allow public client flows": users may sign in through the app without its secret. */
  publicClient?: boolean;
}

export interface TenantUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName?: string;
  surname?: string;
  mail?: string;
  mailNickname?: string;
  jobTitle?: string;
  department?: string;
  officeLocation?: string;
  companyName?: string;
  mobilePhone?: string;
  businessPhones?: string[];
  preferredLanguage?: string;
  usageLocation?: string;
  /** "Member" or "Guest", capitalised as Graph returns it (graph-contract.md §4.7). */
  userType: "Member" | "Guest";
  accountEnabled: boolean;
  /** The user's password: only a user with one can sign in (the password grant, delegated tokens). */
  password?: string;
  createdDateTime: TenantTime;
  /** Guests: "Accepted" or "PendingAcceptance". */
  externalUserState?: string;
  creationType?: string;
  /**
   * Directory role names held (active assignments at the tenant scope, served by
   * /roleManagement/directory/roleAssignments); a user with any is an admin in the registration report.
   */
  adminRoles?: string[];
  /**
   * How the user signs in (Graph's objectIdentity: signInType, issuer, issuerAssignedId). Absent:
   * one `userPrincipalName` identity issued by the tenant's domain, as for an account of this
   * tenant. A B2B user signing in with another tenant or identity provider has a `federated`
   * identity (issuer `ExternalAzureAD`, `MicrosoftAccount`, `mail`, `google.com`, ...).
   */
  identities?: { signInType: string; issuer: string; issuerAssignedId?: string | null }[];
  /** Registered authentication methods, in the report's `methodsRegistered` vocabulary (§5.5). */
  methods?: string[];
  /** userPreferredMethodForSecondaryAuthentication; derived from `methods` when absent (§5.4). */
  preferredMethod?: string;
  /** When the registration report row was last refreshed; the tenant's reportRefreshedDateTime when absent. */
  registrationUpdatedDateTime?: TenantTime;
}

export interface TenantGroup {
  id: string;
  displayName: string;
  description?: string;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  /** [] (assigned security group) or ["Unified"] (Microsoft 365 group). */
  groupTypes?: string[];
  visibility?: string;
  mail?: string;
  isAssignableToRole?: boolean;
  /** Directory role names assigned to the group (role-assignable groups only): its members hold them. */
  adminRoles?: string[];
  createdDateTime: TenantTime;
  /** Object ids of direct members: users or groups (nesting). */
  members?: string[];
  /** Object ids of owners (users). */
  owners?: string[];
}

/** The beta-superset campaign: `enforceRegistrationAfterAllowedSnoozes` exists only on beta (§2.2). */
export type CampaignData = MSGraph.AuthenticationMethodsRegistrationCampaign & {
  enforceRegistrationAfterAllowedSnoozes?: boolean;
};

/** The policy without its configurations, beta superset (§1.4). */
export interface PolicyData {
  id: string;
  displayName: string;
  description: string;
  lastModifiedDateTime: TenantTime;
  policyVersion: string;
  policyMigrationState?: MSGraph.AuthenticationMethodsPolicyMigrationState;
  reconfirmationInDays?: number | null;
  registrationEnforcement: { authenticationMethodsRegistrationCampaign: CampaignData };
  systemCredentialPreferences?: JsonObject;
  reportSuspiciousActivitySettings?: JsonObject;
  microsoftAuthenticatorPlatformSettings?: JsonObject;
  /** Beta only: `{ passkeyDynamicMigration }` delays "passkeys by default" (graph-contract-passkeys.md §2). */
  optOutSettings?: { passkeyDynamicMigration?: boolean | null } | null;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface TenantFile {
  tenantId: string;
  /** The organisation's name. */
  displayName: string;
  /** The initial domain, e.g. "contoso.onmicrosoft.com". */
  domain: string;
  /** Entra ID P1/P2: the registration report needs it (§5.2); audit retention 30 days, else 7 (§6.1). */
  premiumLicense: boolean;
  /** Self-service password reset enabled for all users (isSsprEnabled in the report). */
  ssprEnabled?: boolean;
  /** When the registration report was last refreshed (§5.3: not real time). */
  reportRefreshedDateTime?: TenantTime;
  apps: TenantApp[];
  users: TenantUser[];
  groups: TenantGroup[];
  authenticationMethodsPolicy: PolicyData;
  /** Graph JSON of each method configuration, with `@odata.type` (§9.2). */
  authenticationMethodConfigurations: JsonObject[];
  /** Graph JSON of directoryAudit records (§6.2); activityDateTime may be relative. */
  directoryAudits: JsonObject[];
}
