// Settings: where Graph and the sign-in authority are, which tenant, and which credential.
// Each setting comes from stack config (namespace "entra-nudge", handed to the dynamic provider by
// its configure call) and falls back to the environment, as DESIGN.md's table fixes. Secrets are
// read at call time and kept only inside the credential: they never appear in the returned
// settings, so settings can be logged, compared and put in error messages safely.
import type { TokenCredential } from "@azure/identity";
import { resolveCloud, validateCloud, type CloudName } from "./model/cloud";
import { InputValidationError, type ValidationProblem } from "./model/validation";

export type { CloudName };

export const CONFIG_NAMESPACE = "entra-nudge";

/** Hosts of Microsoft's own sign-in authorities: for any other host MSAL's instance discovery
 * (a call to login.microsoftonline.com) must be switched off, or sign-in fails offline. */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
]);

/** Hosts the Graph SDK already sends tokens to; any other Graph host must be a "custom host". */
const MICROSOFT_GRAPH_HOSTS = new Set([
  "graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "graph.microsoft.de",
  "microsoftgraph.chinacloudapi.cn",
  "canary.graph.microsoft.com",
]);

export type CredentialKind =
  "clientSecret" | "clientCertificate" | "workloadIdentity" | "defaultAzureCredential";

/** Resolved settings. Holds no secret, so it is safe to log and to show in errors. */
export interface GraphSettings {
  cloud: CloudName;
  tenantId?: string;
  clientId?: string;
  credentialKind: CredentialKind;
  graphEndpoint: string;
  authorityHost: string;
  scopes: string[];
  /** Graph hosts (no scheme, no port) that are not Microsoft's, e.g. the emulator's. */
  customHosts: string[];
  disableInstanceDiscovery: boolean;
}

export interface ResolvedSettings {
  settings: GraphSettings;
  /** Builds the credential; secrets are read from the sources only now, inside the closure. */
  createCredential(): TokenCredential;
}

/** Looks up a namespaced stack config key ("entra-nudge:tenantId"); undefined when unset. */
export type ConfigLookup = (key: string) => string | undefined;

interface SettingSpec {
  key: string;
  env?: string;
}

const SETTINGS = {
  tenantId: { key: "tenantId", env: "AZURE_TENANT_ID" },
  clientId: { key: "clientId", env: "AZURE_CLIENT_ID" },
  clientSecret: { key: "clientSecret", env: "AZURE_CLIENT_SECRET" },
  clientCertificatePath: { key: "clientCertificatePath", env: "AZURE_CLIENT_CERTIFICATE_PATH" },
  federatedTokenFile: { key: "", env: "AZURE_FEDERATED_TOKEN_FILE" },
  authorityHost: { key: "authorityHost", env: "AZURE_AUTHORITY_HOST" },
  cloud: { key: "cloud", env: "ENTRA_NUDGE_CLOUD" },
  graphEndpoint: { key: "graphEndpoint", env: "ENTRA_NUDGE_GRAPH_ENDPOINT" },
} satisfies Record<string, SettingSpec>;

type SettingName = keyof typeof SETTINGS;

/** Thrown for bad settings: lists every problem, each naming the config key and variable. */
export class SettingsError extends InputValidationError {
  constructor(problems: readonly ValidationProblem[]) {
    super("entra-nudge settings", problems);
    this.name = "SettingsError";
  }
}

function describeSetting(spec: SettingSpec): string {
  const parts = [];
  if (spec.key) parts.push(`${CONFIG_NAMESPACE}:${spec.key}`);
  if (spec.env) parts.push(spec.env);
  return parts.join(" / ");
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** A problem with one setting; the message starts with its config key and variable. */
function problemWith(spec: SettingSpec, text: string): ValidationProblem {
  const setting = describeSetting(spec);
  return { property: setting, message: `${setting}: ${text}` };
}

function parseHttpsOrigin(
  value: string,
  spec: SettingSpec,
  problems: ValidationProblem[],
): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(
      problemWith(
        spec,
        `"${value}" is not a URL. Give an https:// URL such as https://graph.microsoft.com.`,
      ),
    );
    return undefined;
  }
  if (url.protocol !== "https:") {
    problems.push(
      problemWith(spec, `"${value}" must use https:// (tokens are only ever sent over TLS).`),
    );
    return undefined;
  }
  return url;
}

/**
 * Resolves settings from stack config, then the environment. Throws SettingsError listing every
 * problem at once; the message never contains a secret value.
 */
export function resolveSettings(
  config: ConfigLookup = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSettings {
  const read = (name: SettingName): string | undefined => {
    const spec: SettingSpec = SETTINGS[name];
    const fromConfig = spec.key ? config(`${CONFIG_NAMESPACE}:${spec.key}`) : undefined;
    const value = fromConfig ?? (spec.env ? env[spec.env] : undefined);
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
  };
  const problems: ValidationProblem[] = [];

  const cloudProblems = validateCloud(read("cloud"), describeSetting(SETTINGS.cloud));
  problems.push(...cloudProblems);
  const profile = resolveCloud(cloudProblems.length > 0 ? undefined : read("cloud"));

  const tenantId = read("tenantId");
  if (tenantId !== undefined && !GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    problems.push(
      problemWith(
        SETTINGS.tenantId,
        `"${tenantId}" is neither a directory (tenant) id GUID nor a domain name. Copy the tenant id from Microsoft Entra admin center → Overview.`,
      ),
    );
  }
  const clientId = read("clientId");
  if (clientId !== undefined && !GUID.test(clientId)) {
    problems.push(
      problemWith(
        SETTINGS.clientId,
        `"${clientId}" is not an application (client) id GUID. Copy it from the app registration's Overview page.`,
      ),
    );
  }

  const graphUrl = parseHttpsOrigin(
    read("graphEndpoint") ?? profile.graphEndpoint,
    SETTINGS.graphEndpoint,
    problems,
  );
  const authorityUrl = parseHttpsOrigin(
    read("authorityHost") ?? profile.authorityHost,
    SETTINGS.authorityHost,
    problems,
  );

  const hasSecret = read("clientSecret") !== undefined;
  const certificatePath = read("clientCertificatePath");
  const federatedTokenFile = read("federatedTokenFile");
  let credentialKind: CredentialKind = "defaultAzureCredential";
  if (hasSecret) credentialKind = "clientSecret";
  else if (certificatePath) credentialKind = "clientCertificate";
  else if (federatedTokenFile) credentialKind = "workloadIdentity";

  if (credentialKind !== "defaultAzureCredential") {
    const credential = {
      clientSecret: "a client secret",
      clientCertificate: "a client certificate",
      workloadIdentity: "a federated token file",
    }[credentialKind];
    if (!tenantId)
      problems.push(
        problemWith(
          SETTINGS.tenantId,
          `is required with ${credential}. Set the directory (tenant) id.`,
        ),
      );
    if (!clientId)
      problems.push(
        problemWith(
          SETTINGS.clientId,
          `is required with ${credential}. Set the application (client) id.`,
        ),
      );
  }

  if (problems.length > 0 || !graphUrl || !authorityUrl) throw new SettingsError(problems);

  // The Graph root must not carry the version: the SDK adds it (graph-contract.md §7.7).
  const graphEndpoint = graphUrl.origin;
  const authorityHost = authorityUrl.origin;
  const settings: GraphSettings = {
    cloud: profile.name,
    tenantId,
    clientId,
    credentialKind,
    graphEndpoint,
    authorityHost,
    scopes: [profile.scope],
    customHosts: MICROSOFT_GRAPH_HOSTS.has(graphUrl.hostname) ? [] : [graphUrl.hostname],
    disableInstanceDiscovery: !MICROSOFT_AUTHORITY_HOSTS.has(authorityUrl.hostname),
  };

  return {
    settings,
    createCredential(): TokenCredential {
      // Loaded here, not at module load: a dynamic provider that never signs in never pays for it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const identity = require("@azure/identity") as typeof import("@azure/identity");
      const options = {
        authorityHost: settings.authorityHost,
        disableInstanceDiscovery: settings.disableInstanceDiscovery,
      };
      switch (settings.credentialKind) {
        case "clientSecret":
          return new identity.ClientSecretCredential(
            settings.tenantId as string,
            settings.clientId as string,
            read("clientSecret") as string,
            options,
          );
        case "clientCertificate":
          return new identity.ClientCertificateCredential(
            settings.tenantId as string,
            settings.clientId as string,
            { certificatePath: certificatePath as string },
            options,
          );
        case "workloadIdentity":
          return new identity.WorkloadIdentityCredential({
            ...options,
            tenantId: settings.tenantId,
            clientId: settings.clientId,
            tokenFilePath: federatedTokenFile,
          });
        case "defaultAzureCredential":
          return new identity.DefaultAzureCredential({
            ...options,
            tenantId: settings.tenantId,
          });
      }
    },
  };
}
