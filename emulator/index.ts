// The emulator's public entry point (`pulumi-entra-nudge/emulator`): start a Microsoft Graph and
// Entra ID token endpoint emulator on 127.0.0.1 and get what a program needs to run against it.
import type { FaultSpec } from "./faults.js";
import { createGraphApi, DEFAULT_TENANT_FILE } from "./graph/index.js";
import type {
  FederatedCredential,
  FederatedCredentialInput,
  RegisteredCertificate,
} from "./identity.js";
import {
  EmulatorServer,
  type ConfigurableGraphApi,
  type EmulatorConfigInput,
  type RequestLogEntry,
} from "./server.js";
import type {
  MigrationParameters,
  MigrationResult,
  PromptForecast,
  SimulationParameters,
  SimulationResult,
} from "./graph/index.js";
import type { ThrottleOptions } from "./throttle.js";
import { createClientCertificate, type ClientCertificate } from "./tls.js";

export type { FaultSpec } from "./faults.js";
export type {
  FederatedCredential,
  FederatedCredentialInput,
  RegisteredCertificate,
} from "./identity.js";
export type { ConfigurableGraphApi, EmulatorConfigInput, RequestLogEntry } from "./server.js";
export type { ThrottleOptions } from "./throttle.js";
export type {
  SimulationParameters,
  SimulationResult,
  SimulatedRegistration,
  MigrationParameters,
  MigrationResult,
  PromptForecast,
  NoNudge,
  NudgeMethod,
} from "./graph/index.js";
export type { ClientCertificate } from "./tls.js";
export { ensureCertificateAuthority, createClientCertificate } from "./tls.js";

export interface StartEmulatorOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  /** Tenant file path or parsed tenant; the packaged default tenant when omitted. */
  tenant?: string | object;
  /** How long (ms) new objects stay invisible to some reads, like directory replication. */
  replicationDelayMs?: number;
  /** Graph throttling (off by default): `true`, or limits. */
  throttling?: ThrottleOptions | boolean;
  /** Graph handlers to use instead of the built-in ones (tests of the HTTP layer). */
  graphApi?: ConfigurableGraphApi;
  /** Called for each request the emulator logs. */
  onRequest?: (entry: RequestLogEntry) => void;
}

/** The ready line: the first line `npm run emulator` prints (DESIGN.md). */
export interface ReadyInfo {
  graphEndpoint: string;
  authorityHost: string;
  tenantId: string;
  caCertPath: string;
  controlEndpoint: string;
  apps: Record<string, { clientId: string; clientSecret: string }>;
}

export interface RunningEmulator {
  readonly info: ReadyInfo;
  /** Environment for a program signing in as `appName` with its client secret. */
  env(appName?: string): Record<string, string>;
  /** The request log (Graph calls, $batch steps, token requests). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  /** Realism switches (replicationDelayMs, throttling, the handlers' own). */
  configure(config: EmulatorConfigInput): void;
  /** Tenant back to its start state; request log, faults and throttling counters cleared. */
  reset(): void;
  /**
   * Runs the registration campaign for simulated days (users sign in, some register Microsoft
   * Authenticator, others snooze) and moves the emulator's clock on by those days.
   */
  simulate(parameters: SimulationParameters): SimulationResult;
  /**
   * What Microsoft did to tenants on 2026-09-01 ("passkeys by default"): SMS/voice users enabled
   * for passkeys, the campaign set to Microsoft managed targeting passkeys. Throws for a tenant
   * that opted out.
   */
  microsoftMigration(parameters?: MigrationParameters): MigrationResult;
  /**
   * Whom the campaign would prompt if every user signed in with MFA now, and why not the others
   * (the emulator's own rules, for differential tests against a model).
   */
  forecastPrompts(parameters?: { honourSnoozes?: boolean }): PromptForecast;
  close(): Promise<void>;
  /** Makes a certificate (with its key) and registers it on the app, as an admin uploads one. */
  createClientCertificate(appName: string): Promise<ClientCertificate & RegisteredCertificate>;
  /** Registers an existing certificate (PEM; only the certificate is read) on the app. */
  addClientCertificate(appName: string, certificatePem: string): RegisteredCertificate;
  /** Trusts a federated token issuer + subject for the app (issuer: the emulator's own). */
  addFederatedCredential(
    appName: string,
    credential: FederatedCredentialInput,
  ): FederatedCredential;
  /** A token from the emulator's own OIDC issuer, e.g. to write to AZURE_FEDERATED_TOKEN_FILE. */
  mintFederatedToken(
    subject: string,
    options?: { audience?: string; lifetimeSeconds?: number },
  ): Promise<string>;
  /** The emulator's OIDC issuer URL (for federated credentials). */
  readonly federationIssuer: string;
  /** Every access token the token endpoint issued so far (the last 10,000), oldest first. */
  issuedAccessTokens(): string[];
  /** Signs an access token directly (tests: expired tokens, other audiences). */
  issueAccessToken(
    appName: string,
    options?: { resource?: string; issuedAt?: number; lifetimeSeconds?: number },
  ): Promise<string>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  let graphApi = options.graphApi;
  if (!graphApi) {
    graphApi = createGraphApi(options.tenant ?? DEFAULT_TENANT_FILE, {
      ...(options.replicationDelayMs !== undefined
        ? { replicationDelayMs: options.replicationDelayMs }
        : {}),
    });
  } else if (options.replicationDelayMs !== undefined) {
    graphApi.configure?.({ replicationDelayMs: options.replicationDelayMs });
  }
  const server = await EmulatorServer.start({
    graphApi,
    port: options.port,
    throttling: options.throttling,
    onRequest: options.onRequest,
  });
  const info: ReadyInfo = {
    graphEndpoint: server.origin,
    authorityHost: server.origin,
    tenantId: graphApi.tenantId,
    caCertPath: server.ca.caCertPath,
    controlEndpoint: `${server.origin}/_emulator`,
    apps: server.identity.appCredentials(),
  };
  const appOf = (name: string) => {
    const app = info.apps[name];
    if (!app) {
      throw new Error(
        `The tenant has no app '${name}'; it has: ${Object.keys(info.apps).join(", ")}.`,
      );
    }
    return app;
  };
  return {
    info,
    env(appName = "writer") {
      const app = appOf(appName);
      return {
        AZURE_TENANT_ID: info.tenantId,
        AZURE_CLIENT_ID: app.clientId,
        AZURE_CLIENT_SECRET: app.clientSecret,
        AZURE_AUTHORITY_HOST: info.authorityHost,
        ENTRA_NUDGE_GRAPH_ENDPOINT: info.graphEndpoint,
        NODE_EXTRA_CA_CERTS: info.caCertPath,
      };
    },
    requests: () => server.requests(),
    clearRequests: () => server.clearRequests(),
    injectFault: (spec) => server.faults.add(spec),
    clearFaults: () => server.faults.clear(),
    configure: (config) => void server.configure(config),
    reset: () => server.reset(),
    simulate: (parameters) =>
      server.simulate({ ...parameters } as Record<string, unknown>) as SimulationResult,
    microsoftMigration: (parameters = {}) =>
      server.microsoftMigration({ ...parameters } as Record<string, unknown>) as MigrationResult,
    forecastPrompts: (parameters = {}) =>
      server.forecastPrompts({ ...parameters }) as PromptForecast,
    close: () => server.close(),
    async createClientCertificate(appName) {
      appOf(appName);
      const made = await createClientCertificate({ commonName: `${appName}-emulator` });
      return { ...made, ...server.identity.addCertificate(appName, made.certificatePem) };
    },
    addClientCertificate: (appName, pem) =>
      server.identity.addCertificate(appOf(appName).clientId, pem),
    addFederatedCredential: (appName, credential) =>
      server.identity.addFederatedCredential(appOf(appName).clientId, credential),
    async mintFederatedToken(subject, tokenOptions = {}) {
      return (await server.identity.mintFederatedToken({ subject, ...tokenOptions })).token;
    },
    get federationIssuer() {
      return server.identity.federationIssuer();
    },
    issuedAccessTokens: () => server.identity.issuedAccessTokens(),
    issueAccessToken: (appName, tokenOptions) =>
      server.identity.issueAccessToken(appOf(appName).clientId, tokenOptions),
  };
}
