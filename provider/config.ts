// Settings: where Graph and the sign-in authority are, which tenant, and which credential.
// Each setting comes from stack config (namespace "entra-nudge", handed to the dynamic provider by
// its configure call) and falls back to the environment, as DESIGN.md's table fixes. Secrets are
// read at call time and kept only inside the credential: they never appear in the returned
// settings, so settings can be logged, compared and put in error messages safely.
import * as fs from "node:fs";
import type { TokenCredential } from "@azure/identity";
import { resolveCloud, validateCloud, type CloudName } from "./model/cloud";
import { BREAK_GLASS_CONFIG_KEY, parseBreakGlassGroups } from "./model/eligibility";
import {
  describeValue,
  InputValidationError,
  suggestName,
  type ValidationProblem,
} from "./model/validation";

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
  /**
   * Things the user should hear about but that do not stop the run: an `entra-nudge:` key that is
   * no setting (a typo), plain-HTTP Graph allowed by the development switch.
   */
  warnings: string[];
  /** Builds the credential; secrets are read from the sources only now, inside the closure. */
  createCredential(): TokenCredential;
}

/**
 * Looks up a namespaced stack config key ("entra-nudge:tenantId"); undefined when unset. The engine
 * may hand over structured config (a number, a boolean, a list), so values are checked, not trusted.
 * `keys`, when given, lists every configured key, so that a misspelled setting can be named.
 */
export type ConfigLookup = ((key: string) => string | undefined) & {
  keys?: () => readonly string[];
};

/**
 * The development switch that lets a plain-HTTP Graph endpoint through (a local mock without
 * TLS). Environment only, never stack config: a stack's settings must not be able to send tokens
 * in clear text. Its use is warned about at every run.
 */
export const ALLOW_HTTP_VARIABLE = "ENTRA_NUDGE_ALLOW_HTTP";

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
  breakGlassGroups: { key: BREAK_GLASS_CONFIG_KEY, env: "ENTRA_NUDGE_BREAK_GLASS_GROUPS" },
} satisfies Record<string, SettingSpec>;

type SettingName = keyof typeof SETTINGS;

/** Every key this package reads in the `entra-nudge` namespace (docs/real-tenant.md). */
export const KNOWN_CONFIG_KEYS: readonly string[] = Object.values(SETTINGS)
  .map((spec: SettingSpec) => spec.key)
  .filter((key) => key !== "");

/** Thrown for bad settings: lists every problem, each naming the config key and variable. */
export class SettingsError extends InputValidationError {
  constructor(problems: readonly ValidationProblem[]) {
    super("entra-nudge settings", problems);
    this.name = "SettingsError";
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    this.message =
      `Invalid entra-nudge settings (${count}); nothing was sent to Microsoft Graph:\n` +
      problems.map((problem) => `  - ${problem.message}`).join("\n");
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

/** What each endpoint setting is, for the fix in its messages. */
const ENDPOINTS = {
  graphEndpoint: {
    example: "https://graph.microsoft.com",
    path: "give only the scheme and host (and port): the tool adds the version (/v1.0, /beta) itself",
  },
  authorityHost: {
    example: "https://login.microsoftonline.com",
    path: "give only the scheme and host (and port): the tenant goes in entra-nudge:tenantId",
  },
} as const;

function parseEndpoint(
  value: string,
  name: keyof typeof ENDPOINTS,
  env: NodeJS.ProcessEnv,
  problems: ValidationProblem[],
  warnings: string[],
): URL | undefined {
  const spec = SETTINGS[name];
  const { example, path } = ENDPOINTS[name];
  // Never echo a user name or password someone put in the URL.
  const shown = value.replace(/\/\/[^/@]*@/, "//***@");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(
      problemWith(spec, `"${shown}" is not a URL. Give an https:// URL such as ${example}.`),
    );
    return undefined;
  }
  if (url.protocol === "http:") {
    // MSAL, the sign-in library under @azure/identity, refuses authorities that are not https
    // (its ClientConfigurationError "authority_uri_insecure"), so no switch can make one work.
    if (name === "authorityHost") {
      problems.push(
        problemWith(
          spec,
          `"${shown}" uses http://: sign-in sends the client credential, so the authority must use https:// (the sign-in library refuses anything else, whatever ${ALLOW_HTTP_VARIABLE} says). Use ${example}, or an https:// URL of your authority.`,
        ),
      );
      return undefined;
    }
    if (env[ALLOW_HTTP_VARIABLE] !== "1") {
      problems.push(
        problemWith(
          spec,
          `"${shown}" uses http://, but it must use https:// (access tokens are only ever sent over TLS), such as ${example}. For a local development mock without TLS only (one that needs no access token), set the environment variable ${ALLOW_HTTP_VARIABLE}=1.`,
        ),
      );
      return undefined;
    }
    // The Graph SDK attaches the access token to https:// URLs only (its isValidEndpoint), so a
    // plain-HTTP mock is reached without a token: nothing secret crosses the wire in clear text.
    warnings.push(
      `${describeSetting(spec)} is "${url.origin}", plain HTTP, allowed by ${ALLOW_HTTP_VARIABLE}=1: requests and tenant data travel unencrypted, and no access token is sent (the Graph SDK sends it over https:// only), so only a local development mock that asks for none answers. Never use this with Microsoft Graph.`,
    );
  } else if (url.protocol !== "https:") {
    problems.push(
      problemWith(
        spec,
        `"${shown}" uses ${url.protocol.replace(/:$/, "")}:, not https:. Give an https:// URL such as ${example}.`,
      ),
    );
    return undefined;
  }
  // Never echo user info: it may hold a password.
  if (url.username || url.password) {
    problems.push(
      problemWith(
        spec,
        `the URL carries a user name or password; remove it and ${path}, e.g. ${example}.`,
      ),
    );
    return undefined;
  }
  if (url.search || url.hash) {
    problems.push(
      problemWith(
        spec,
        `"${url.origin}${url.pathname}..." has a query or fragment; remove it and ${path}, e.g. ${example}.`,
      ),
    );
    return undefined;
  }
  if (url.pathname !== "/" && url.pathname !== "") {
    problems.push(
      problemWith(spec, `"${shown}" has the path "${url.pathname}"; ${path}, e.g. ${example}.`),
    );
    return undefined;
  }
  return url;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/;
const PEM_PRIVATE_KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/;
const PEM_ENCRYPTED_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----/;

/**
 * Problems with the certificate file: it must exist, be readable, and hold a PEM certificate and
 * its unencrypted private key (what ClientCertificateCredential loads). Its content never appears in
 * a message: it holds the key.
 */
function certificateProblem(file: string): string | undefined {
  const fix =
    "Give the path of one PEM file holding the certificate and its private key (e.g. `cat cert.pem key.pem > app.pem`).";
  let text: string;
  try {
    if (fs.statSync(file).isDirectory()) return `"${file}" is a directory, not a file. ${fix}`;
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `"${file}" does not exist. ${fix}`;
    if (code === "EACCES" || code === "EPERM")
      return `"${file}" cannot be read by this process (permission denied). Make it readable by the user running the tool.`;
    return `"${file}" cannot be read (${code ?? String(err)}). ${fix}`;
  }
  if (!PEM_CERTIFICATE.test(text)) {
    return `"${file}" holds no PEM certificate ("-----BEGIN CERTIFICATE-----"); a DER or PFX file must be converted to PEM first (openssl pkcs12 -in app.pfx -out app.pem -nodes). ${fix}`;
  }
  if (PEM_ENCRYPTED_KEY.test(text) && !PEM_PRIVATE_KEY.test(text)) {
    return `"${file}" holds an encrypted private key; this tool takes no key password. Decrypt it (openssl pkey -in key.pem -out plain.pem) and keep the file readable only by the tool's user.`;
  }
  if (!PEM_PRIVATE_KEY.test(text)) {
    return `"${file}" holds a certificate but no private key ("-----BEGIN PRIVATE KEY-----"). ${fix}`;
  }
  return undefined;
}

/** `entra-nudge:` keys that are no setting, with the likely meant one (a typo is never silent). */
function unknownKeyWarnings(config: ConfigLookup, env: NodeJS.ProcessEnv): string[] {
  let keys: readonly string[] = [];
  if (config.keys) keys = config.keys();
  else if (env.PULUMI_CONFIG) {
    // The engine starts the provider process with the stack's config as JSON in PULUMI_CONFIG.
    try {
      const parsed: unknown = JSON.parse(env.PULUMI_CONFIG);
      if (parsed && typeof parsed === "object") keys = Object.keys(parsed);
    } catch {
      keys = [];
    }
  }
  const prefix = `${CONFIG_NAMESPACE}:`;
  return keys
    .filter((key) => key.startsWith(prefix))
    .map((key) => key.slice(prefix.length).split(".")[0])
    .filter((name) => !KNOWN_CONFIG_KEYS.includes(name))
    .map((name) => {
      const meant = suggestName(name, KNOWN_CONFIG_KEYS);
      return `${prefix}${name} is not a setting of pulumi-entra-nudge and is ignored.${
        meant ? ` Did you mean ${prefix}${meant}?` : ""
      } The settings are: ${KNOWN_CONFIG_KEYS.map((k) => prefix + k).join(", ")}.`;
    });
}

/** Setting names whose value may be written in a message (everything but the secret). */
const PRINTABLE: ReadonlySet<SettingName> = new Set(
  (Object.keys(SETTINGS) as SettingName[]).filter((name) => name !== "clientSecret"),
);

/**
 * Resolves settings from stack config, then the environment. Throws SettingsError listing every
 * problem at once; the message never contains a secret value.
 */
export function resolveSettings(
  config: ConfigLookup = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSettings {
  const problems: ValidationProblem[] = [];
  const warnings: string[] = unknownKeyWarnings(config, env);
  const read = (name: SettingName): string | undefined => {
    const spec: SettingSpec = SETTINGS[name];
    const fromConfig: unknown = spec.key ? config(`${CONFIG_NAMESPACE}:${spec.key}`) : undefined;
    const value: unknown = fromConfig ?? (spec.env ? env[spec.env] : undefined);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") {
      const what = Array.isArray(value)
        ? "a list"
        : typeof value === "object"
          ? "an object"
          : `the ${typeof value}`;
      problems.push(
        problemWith(
          spec,
          `is ${what}${PRINTABLE.has(name) ? ` ${describeValue(value)}` : ""}, but it must be a string. Set it with \`pulumi config set ${CONFIG_NAMESPACE}:${spec.key} <value>\` (no --path, no --type).`,
        ),
      );
      return undefined;
    }
    const trimmed = value.trim();
    return trimmed ? trimmed : undefined;
  };
  // Read each setting once, so that a wrong type is reported once.
  const values = {} as Record<SettingName, string | undefined>;
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    // breakGlassGroups may also be a structured list (`pulumi config set --path`).
    if (name !== "breakGlassGroups") values[name] = read(name);
  }

  if (env.NODE_TLS_REJECT_UNAUTHORIZED === "0") {
    problems.push({
      property: "NODE_TLS_REJECT_UNAUTHORIZED",
      message:
        "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off TLS certificate checks, and this tool never sends credentials or tokens without them. Unset it; for a private certificate authority (such as the emulator's) add its certificate with NODE_EXTRA_CA_CERTS instead.",
    });
  }

  const cloudProblems = validateCloud(values.cloud, describeSetting(SETTINGS.cloud));
  problems.push(...cloudProblems);
  const profile = resolveCloud(cloudProblems.length > 0 ? undefined : values.cloud);

  const tenantId = values.tenantId;
  if (tenantId !== undefined && !GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    problems.push(
      problemWith(
        SETTINGS.tenantId,
        `"${tenantId}" is neither a directory (tenant) id GUID nor a domain name. Copy the tenant id from Microsoft Entra admin center → Overview.`,
      ),
    );
  }
  const clientId = values.clientId;
  if (clientId !== undefined && !GUID.test(clientId)) {
    problems.push(
      problemWith(
        SETTINGS.clientId,
        `"${clientId}" is not an application (client) id GUID. Copy it from the app registration's Overview page.`,
      ),
    );
  }

  const graphUrl = parseEndpoint(
    values.graphEndpoint ?? profile.graphEndpoint,
    "graphEndpoint",
    env,
    problems,
    warnings,
  );
  const authorityUrl = parseEndpoint(
    values.authorityHost ?? profile.authorityHost,
    "authorityHost",
    env,
    problems,
    warnings,
  );

  const breakGlass: unknown =
    config(`${CONFIG_NAMESPACE}:${BREAK_GLASS_CONFIG_KEY}`) ?? env[SETTINGS.breakGlassGroups.env];
  if (breakGlass !== undefined && breakGlass !== null) {
    const text = typeof breakGlass === "string" ? breakGlass : JSON.stringify(breakGlass);
    for (const message of parseBreakGlassGroups(text).problems) {
      problems.push({ property: describeSetting(SETTINGS.breakGlassGroups), message });
    }
  }

  const hasSecret = values.clientSecret !== undefined;
  const certificatePath = values.clientCertificatePath;
  const federatedTokenFile = values.federatedTokenFile;
  let credentialKind: CredentialKind = "defaultAzureCredential";
  if (hasSecret) credentialKind = "clientSecret";
  else if (certificatePath) credentialKind = "clientCertificate";
  else if (federatedTokenFile) credentialKind = "workloadIdentity";

  if (credentialKind === "clientCertificate") {
    const problem = certificateProblem(certificatePath as string);
    if (problem) problems.push(problemWith(SETTINGS.clientCertificatePath, problem));
  }

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
    warnings,
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
            values.clientSecret as string,
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
