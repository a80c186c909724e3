// Settings: where Graph and the sign-in authority are, which tenant, and which credential.
// Each setting comes from stack config (namespace "entra-nudge", handed to the dynamic provider by
// its configure call) and falls back to the environment, as DESIGN.md's table fixes. Secrets are
// read at call time and kept only inside the credential: they never appear in the returned
// settings, so settings can be logged, compared and put in error messages safely.
import type { TokenCredential } from "@azure/identity";

export const CONFIG_NAMESPACE = "entra-nudge";

export type CloudName = "global" | "usgov" | "usgovdod";

export interface CloudProfile {
  name: CloudName;
  /** Graph root without the version segment. */
  graphEndpoint: string;
  /** The Microsoft Entra sign-in authority. */
  authorityHost: string;
  /** The resource whose ".default" scope an app-only token is requested for. */
  graphResource: string;
}

// graph-contract.md §0.1 (doc: learn.microsoft.com/graph/deployments). L4 and L5 share the
// sign-in authority; L5's scope host follows the documented "use the national cloud's Graph
// domain" rule.
export const CLOUDS: Readonly<Record<CloudName, CloudProfile>> = {
  global: {
    name: "global",
    graphEndpoint: "https://graph.microsoft.com",
    authorityHost: "https://login.microsoftonline.com",
    graphResource: "https://graph.microsoft.com",
  },
  usgov: {
    name: "usgov",
    graphEndpoint: "https://graph.microsoft.us",
    authorityHost: "https://login.microsoftonline.us",
    graphResource: "https://graph.microsoft.us",
  },
  usgovdod: {
    name: "usgovdod",
    graphEndpoint: "https://dod-graph.microsoft.us",
    authorityHost: "https://login.microsoftonline.us",
    graphResource: "https://dod-graph.microsoft.us",
  },
};

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

/** One settings problem: the setting (config key and environment variable) and the fix. */
export interface SettingsProblem {
  setting: string;
  message: string;
}

export class SettingsError extends Error {
  constructor(readonly problems: SettingsProblem[]) {
    super(
      problems.length === 1
        ? `Invalid entra-nudge settings: ${problems[0].setting}: ${problems[0].message}`
        : `Invalid entra-nudge settings (${problems.length} problems):\n` +
            problems.map((p) => `  - ${p.setting}: ${p.message}`).join("\n"),
    );
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

function parseHttpsOrigin(
  value: string,
  spec: SettingSpec,
  problems: SettingsProblem[],
): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({
      setting: describeSetting(spec),
      message: `"${value}" is not a URL. Give an https:// URL such as https://graph.microsoft.com.`,
    });
    return undefined;
  }
  if (url.protocol !== "https:") {
    problems.push({
      setting: describeSetting(spec),
      message: `"${value}" must use https:// (tokens are only ever sent over TLS).`,
    });
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
  const problems: SettingsProblem[] = [];

  const cloudValue = (read("cloud") ?? "global").toLowerCase();
  let cloud: CloudName = "global";
  if (cloudValue === "china") {
    problems.push({
      setting: describeSetting(SETTINGS.cloud),
      message:
        "the China cloud (Microsoft Entra operated by 21Vianet) is not supported: its Microsoft Graph " +
        "has neither the registration campaign nor the Microsoft Authenticator method configuration. " +
        "Use global, usgov or usgovdod.",
    });
  } else if (cloudValue in CLOUDS) {
    cloud = cloudValue as CloudName;
  } else {
    problems.push({
      setting: describeSetting(SETTINGS.cloud),
      message: `"${cloudValue}" is not a cloud this tool knows. Use global (default), usgov (US Gov L4, GCC High) or usgovdod (US Gov L5, DoD).`,
    });
  }
  const profile = CLOUDS[cloud];

  const tenantId = read("tenantId");
  if (tenantId !== undefined && !GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    problems.push({
      setting: describeSetting(SETTINGS.tenantId),
      message: `"${tenantId}" is neither a directory (tenant) id GUID nor a domain name. Copy the tenant id from Microsoft Entra admin center → Overview.`,
    });
  }
  const clientId = read("clientId");
  if (clientId !== undefined && !GUID.test(clientId)) {
    problems.push({
      setting: describeSetting(SETTINGS.clientId),
      message: `"${clientId}" is not an application (client) id GUID. Copy it from the app registration's Overview page.`,
    });
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
    if (!tenantId)
      problems.push({
        setting: describeSetting(SETTINGS.tenantId),
        message: `is required with a ${credentialKind === "clientSecret" ? "client secret" : credentialKind === "clientCertificate" ? "client certificate" : "federated token"}. Set the directory (tenant) id.`,
      });
    if (!clientId)
      problems.push({
        setting: describeSetting(SETTINGS.clientId),
        message: "is required with an explicit credential. Set the application (client) id.",
      });
  }

  if (problems.length > 0 || !graphUrl || !authorityUrl) throw new SettingsError(problems);

  // The Graph root must not carry the version: the SDK adds it (graph-contract.md §7.7).
  const graphEndpoint = graphUrl.origin;
  const authorityHost = authorityUrl.origin;
  const settings: GraphSettings = {
    cloud,
    tenantId,
    clientId,
    credentialKind,
    graphEndpoint,
    authorityHost,
    scopes: [`${profile.graphResource}/.default`],
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
