// The Entra ID side of the emulator: OpenID discovery, signing keys, the v2.0 token endpoint for the
// client-credentials grant (secret, certificate assertion, federated assertion) and for a tenant
// user's sign-in (the resource owner password grant: a delegated token), and validation of
// the access tokens it issued when they come back to Graph. Error bodies follow ESTS's shape
// (`error`, `error_description` "AADSTS<code>: ...", `error_codes`, `timestamp`, `trace_id`,
// `correlation_id`, `error_uri`) so that MSAL and @azure/identity surface them as they would in
// production. Secrets and assertions never appear in a response, an error or a log line.
import {
  constants as cryptoConstants,
  createHash,
  createPublicKey,
  randomBytes,
  randomUUID,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
  X509Certificate,
  type JsonWebKey,
  type KeyObject,
} from "node:crypto";
import { get as httpsGet } from "node:https";
import type { AppRegistration, CallerIdentity, SignInUser } from "./types.js";

/** Microsoft Graph's application id, which is also a valid token audience for it. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** The audience Entra expects in federated (workload identity) assertions. */
export const FEDERATION_AUDIENCE = "api://AzureADTokenExchange";
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * Graph resources by cloud (graph-contract.md §0.1): the client asks for the real cloud's scope even
 * when it talks to the emulator, so all of them are accepted, with Graph's app id.
 */
const GRAPH_RESOURCES = [
  "https://graph.microsoft.com",
  "https://graph.microsoft.us",
  "https://dod-graph.microsoft.us",
  GRAPH_APP_ID,
];
/**
 * Other well-known Azure resources: Entra issues tokens for them too, and Graph then refuses them
 * ("Invalid audience"), which is how a client that asked for the wrong scope finds out.
 */
const OTHER_RESOURCES = [
  "https://management.azure.com",
  "https://management.core.windows.net",
  "https://vault.azure.net",
  "https://storage.azure.com",
];

/** Access tokens live an hour; Entra backdates iat/nbf by five minutes for clock skew. */
const ACCESS_TOKEN_LIFETIME_S = 3599;
const CLOCK_SKEW_S = 300;
const RESERVED_TENANTS = new Set(["common", "organizations", "consumers"]);
/** OpenID Connect's scopes, asked beside a resource's in a user's sign-in (MSAL adds them). */
const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);
/** Issued tokens kept for issuedAccessTokens(): a bound, so long fault campaigns stay small. */
const MAX_ISSUED_TOKENS_KEPT = 10_000;

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PEM of the (self-signed) certificate published in the JWKS as x5c. */
  certificatePem: string;
}

export interface IdentityResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The client the request was about, for the request log. */
  clientId?: string;
}

/** A federated identity credential, as Graph's federatedIdentityCredential resource has it. */
export interface FederatedCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description?: string;
  /**
   * Emulator extension: the issuer's signing keys, for issuers the emulator cannot fetch metadata
   * from. Without it, the emulator's own issuer uses its keys and loopback issuers are fetched.
   */
  jwks?: { keys: JsonWebKey[] };
}

export interface FederatedCredentialInput {
  name?: string;
  issuer?: string;
  subject: string;
  audiences?: string[];
  description?: string;
  jwks?: { keys: JsonWebKey[] };
}

export interface RegisteredCertificate {
  keyId: string;
  thumbprint: string;
  thumbprintSha256: string;
  notBefore: string;
  notAfter: string;
}

interface CertificateCredential extends RegisteredCertificate {
  publicKey: KeyObject;
  validFrom: number;
  validTo: number;
}

interface AppCredentials {
  app: AppRegistration;
  secret: string;
  /** Service principal object id: the token's oid/sub. */
  objectId: string;
  certificates: CertificateCredential[];
  federated: FederatedCredential[];
}

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  aio: string;
  app_displayname: string;
  appid: string;
  /** "0": a public client (no credential); "1": a secret; "2": a certificate or assertion. */
  appidacr: "0" | "1" | "2";
  idp: string;
  idtyp: "app" | "user";
  /** A user's token: the user's name and user principal name. */
  name?: string;
  upn?: string;
  oid: string;
  rh: string;
  roles?: string[];
  /** Delegated permissions, space-separated: a user's token only. */
  scp?: string;
  sub: string;
  tenant_region_scope: string;
  tid: string;
  uti: string;
  ver: "1.0";
  xms_tcdt: number;
}

export type AuthenticationResult =
  { ok: true; caller: CallerIdentity; claims: AccessTokenClaims } | { ok: false; message: string };

/** An error of the token service, rendered by IdentityProvider.errorResponse. */
export class EstsError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    description: string,
  ) {
    super(description);
  }
}

interface JwtParts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

export interface IdentityProviderOptions {
  tenantId: string;
  /**
   * The tenant's verified domain names: Entra resolves a tenant named by one of them (in the
   * authority path) like its id, e.g. login.microsoftonline.com/contoso.onmicrosoft.com/.
   */
  verifiedDomains?: readonly string[];
  apps: readonly AppRegistration[];
  signingKey: SigningKey;
  /** The emulator's own federated-token issuer key, made on first use. */
  federationKey: () => Promise<SigningKey>;
  /** Canonical origin of the emulator, e.g. "https://127.0.0.1:8443" (known after listen). */
  origin: () => string;
  now?: () => number;
  /** The tenant's user with this user principal name, for a user's sign-in (password grant). */
  signInUser?: (userPrincipalName: string) => SignInUser | undefined;
}

export class IdentityProvider {
  readonly tenantId: string;
  private readonly verifiedDomains: ReadonlySet<string>;
  private readonly credentials = new Map<string, AppCredentials>();
  private readonly signingKid: string;
  private readonly signingCertDer: string;
  private federationKid?: string;
  private federation?: SigningKey;
  private readonly verifiedTokens = new Map<string, AuthenticationResult & { ok: true }>();
  /** Access tokens the token endpoint handed out, newest last (leak tests scan for them). */
  private readonly issued: string[] = [];
  private readonly issuerKeys = new Map<string, { keys: KeyObject[]; fetched: number }>();

  constructor(private readonly options: IdentityProviderOptions) {
    this.tenantId = options.tenantId.toLowerCase();
    this.verifiedDomains = new Set((options.verifiedDomains ?? []).map((d) => d.toLowerCase()));
    for (const app of options.apps) {
      // A tenant may name the app's service principal; otherwise a stable id is derived.
      const { servicePrincipalId } = app;
      this.credentials.set(app.clientId.toLowerCase(), {
        app,
        secret: app.clientSecret ?? generateClientSecret(),
        objectId: servicePrincipalId ?? derivedServicePrincipalId(this.tenantId, app.clientId),
        certificates: [],
        federated: [],
      });
    }
    const der = new X509Certificate(options.signingKey.certificatePem).raw;
    this.signingCertDer = der.toString("base64");
    this.signingKid = createHash("sha1").update(der).digest("base64url");
  }

  /** The tenant id or one of its verified domains, as the authority path names it. */
  private isThisTenant(tenantSegment: string): boolean {
    const tenant = tenantSegment.toLowerCase();
    return tenant === this.tenantId || this.verifiedDomains.has(tenant);
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** The access tokens the token endpoint issued (the last MAX_ISSUED_TOKENS_KEPT). */
  issuedAccessTokens(): string[] {
    return [...this.issued];
  }

  /** name → {clientId, clientSecret}, in tenant-file order. */
  appCredentials(): Record<string, { clientId: string; clientSecret: string }> {
    const result: Record<string, { clientId: string; clientSecret: string }> = {};
    for (const c of this.credentials.values()) {
      result[c.app.name] = { clientId: c.app.clientId, clientSecret: c.secret };
    }
    return result;
  }

  private appByNameOrId(nameOrId: string): AppCredentials {
    const byId = this.credentials.get(nameOrId.toLowerCase());
    if (byId) return byId;
    for (const c of this.credentials.values()) if (c.app.name === nameOrId) return c;
    throw new Error(
      `No app named or with client id '${nameOrId}' in the tenant (apps: ${[
        ...this.credentials.values(),
      ]
        .map((c) => c.app.name)
        .join(", ")}).`,
    );
  }

  /** Adds a certificate credential (the public certificate only) to an app's registration. */
  addCertificate(appNameOrId: string, certificatePem: string): RegisteredCertificate {
    const app = this.appByNameOrId(appNameOrId);
    const x509 = new X509Certificate(certificatePem);
    const der = x509.raw;
    const cert: CertificateCredential = {
      keyId: randomUUID(),
      thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
      thumbprintSha256: createHash("sha256").update(der).digest("hex").toUpperCase(),
      notBefore: new Date(x509.validFrom).toISOString(),
      notAfter: new Date(x509.validTo).toISOString(),
      publicKey: x509.publicKey,
      validFrom: Date.parse(x509.validFrom),
      validTo: Date.parse(x509.validTo),
    };
    app.certificates = app.certificates.filter((c) => c.thumbprint !== cert.thumbprint);
    app.certificates.push(cert);
    return publicCertificate(cert);
  }

  /** Adds a federated identity credential to an app (issuer defaults to the emulator's own). */
  addFederatedCredential(
    appNameOrId: string,
    input: FederatedCredentialInput,
  ): FederatedCredential {
    const app = this.appByNameOrId(appNameOrId);
    if (!input.subject) throw new Error("A federated credential needs a subject.");
    const credential: FederatedCredential = {
      id: randomUUID(),
      name: input.name ?? `fic-${app.federated.length + 1}`,
      issuer: input.issuer ?? this.federationIssuer(),
      subject: input.subject,
      audiences: input.audiences ?? [FEDERATION_AUDIENCE],
      ...(input.description ? { description: input.description } : {}),
      ...(input.jwks ? { jwks: input.jwks } : {}),
    };
    app.federated.push(credential);
    this.issuerKeys.delete(credential.issuer);
    return credential;
  }

  /** The issuer URL of the emulator's own OIDC token issuer (a CI system's, in real life). */
  federationIssuer(): string {
    return `${this.options.origin()}/_emulator/oidc`;
  }

  private async federationSigningKey(): Promise<{ key: SigningKey; kid: string }> {
    if (!this.federation) {
      this.federation = await this.options.federationKey();
      const der = new X509Certificate(this.federation.certificatePem).raw;
      this.federationKid = createHash("sha1").update(der).digest("base64url");
    }
    return { key: this.federation, kid: this.federationKid as string };
  }

  /** A token from the emulator's OIDC issuer, for AZURE_FEDERATED_TOKEN_FILE. */
  async mintFederatedToken(options: {
    subject: string;
    audience?: string;
    lifetimeSeconds?: number;
  }): Promise<{ token: string; issuer: string; expiresOn: string }> {
    const { key, kid } = await this.federationSigningKey();
    const now = Math.floor(this.now() / 1000);
    const exp = now + (options.lifetimeSeconds ?? 3600);
    const issuer = this.federationIssuer();
    const token = await signJwt(
      { alg: "RS256", typ: "JWT", kid },
      {
        iss: issuer,
        sub: options.subject,
        aud: options.audience ?? FEDERATION_AUDIENCE,
        iat: now,
        nbf: now,
        exp,
        jti: randomUUID(),
      },
      key.privateKey,
    );
    return { token, issuer, expiresOn: new Date(exp * 1000).toISOString() };
  }

  /**
   * Signs an access token as the token endpoint would. Tests use the options to make tokens Graph
   * must refuse (expired, another audience).
   */
  async issueAccessToken(
    appNameOrId: string,
    options: {
      resource?: string;
      issuedAt?: number;
      lifetimeSeconds?: number;
      appidacr?: "0" | "1" | "2";
      /** A delegated token: the signed-in user and the granted delegated permissions (`scp`). */
      user?: SignInUser;
      scopes?: readonly string[];
    } = {},
  ): Promise<string> {
    const app = this.appByNameOrId(appNameOrId);
    const user = options.user;
    const issuedAt = options.issuedAt ?? Math.floor(this.now() / 1000);
    const iat = issuedAt - CLOCK_SKEW_S;
    const claims: AccessTokenClaims = {
      aud: options.resource ?? "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${this.tenantId}/`,
      iat,
      nbf: iat,
      exp: issuedAt + (options.lifetimeSeconds ?? ACCESS_TOKEN_LIFETIME_S),
      aio: randomBytes(24).toString("base64url"),
      app_displayname: app.app.name,
      appid: app.app.clientId,
      appidacr: options.appidacr ?? "1",
      idp: `https://sts.windows.net/${this.tenantId}/`,
      idtyp: user ? "user" : "app",
      ...(user ? { name: user.displayName, upn: user.userPrincipalName } : {}),
      oid: user ? user.id : app.objectId,
      rh: `0.${randomBytes(20).toString("base64url")}.`,
      // A user's token carries the delegated permissions granted (scp), never the app's roles.
      ...(user
        ? { scp: (options.scopes ?? []).join(" ") }
        : app.app.roles.length > 0
          ? { roles: [...app.app.roles] }
          : {}),
      sub: user ? stableGuid(`${user.id}/${app.app.clientId.toLowerCase()}`) : app.objectId,
      tenant_region_scope: "EU",
      tid: this.tenantId,
      uti: randomBytes(16).toString("base64url"),
      ver: "1.0",
      xms_tcdt: 1600000000,
    };
    return signJwt(
      { typ: "JWT", alg: "RS256", x5t: this.signingKid, kid: this.signingKid },
      claims as unknown as Record<string, unknown>,
      this.options.signingKey.privateKey,
    );
  }

  // ---- discovery ----------------------------------------------------------------------------

  /** `GET /{tenant}/v2.0/.well-known/openid-configuration` (and the v1 document without v2.0). */
  openIdConfiguration(tenantSegment: string, v2: boolean): IdentityResponse {
    const tenant = tenantSegment.toLowerCase();
    const reserved = RESERVED_TENANTS.has(tenant);
    if (!reserved && !this.isThisTenant(tenant)) {
      return this.errorResponse(unknownTenant(tenantSegment), undefined);
    }
    const origin = this.options.origin();
    // The reserved tenants publish a placeholder MSAL substitutes, as Entra's documents do.
    const tid = reserved ? "{tenantid}" : this.tenantId;
    const base = `${origin}/${tid}`;
    const body = v2
      ? {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: [
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic",
          ],
          jwks_uri: `${origin}/${reserved ? tenant : tid}/discovery/v2.0/keys`,
          response_modes_supported: ["query", "fragment", "form_post"],
          subject_types_supported: ["pairwise"],
          id_token_signing_alg_values_supported: ["RS256"],
          response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
          scopes_supported: ["openid", "profile", "email", "offline_access"],
          issuer: `${base}/v2.0`,
          request_uri_parameter_supported: false,
          userinfo_endpoint: `${origin}/oidc/userinfo`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
          http_logout_supported: true,
          frontchannel_logout_supported: true,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          claims_supported: CLAIMS_SUPPORTED,
          kerberos_endpoint: `${base}/kerberos`,
          tenant_region_scope: reserved ? null : "EU",
          cloud_instance_name: "microsoftonline.com",
          cloud_graph_host_name: "graph.windows.net",
          msgraph_host: "graph.microsoft.com",
          rbac_url: "https://pas.windows.net",
        }
      : {
          token_endpoint: `${base}/oauth2/token`,
          token_endpoint_auth_methods_supported: [
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic",
          ],
          jwks_uri: `${origin}/${reserved ? tenant : tid}/discovery/keys`,
          response_modes_supported: ["query", "fragment", "form_post"],
          subject_types_supported: ["pairwise"],
          id_token_signing_alg_values_supported: ["RS256"],
          response_types_supported: [
            "code",
            "id_token",
            "code id_token",
            "token id_token",
            "token",
          ],
          scopes_supported: ["openid"],
          issuer: reserved
            ? "https://sts.windows.net/{tenantid}/"
            : `https://sts.windows.net/${tid}/`,
          microsoft_multi_refresh_token: true,
          authorization_endpoint: `${base}/oauth2/authorize`,
          device_authorization_endpoint: `${base}/oauth2/devicecode`,
          http_logout_supported: true,
          frontchannel_logout_supported: true,
          end_session_endpoint: `${base}/oauth2/logout`,
          claims_supported: CLAIMS_SUPPORTED,
          check_session_iframe: `${base}/oauth2/checksession`,
          userinfo_endpoint: `${base}/openid/userinfo`,
          kerberos_endpoint: `${base}/kerberos`,
          tenant_region_scope: reserved ? null : "EU",
          cloud_instance_name: "microsoftonline.com",
          cloud_graph_host_name: "graph.windows.net",
          msgraph_host: "graph.microsoft.com",
          rbac_url: "https://pas.windows.net",
        };
    return { status: 200, headers: discoveryHeaders(), body };
  }

  /** `GET /{tenant}/discovery/v2.0/keys`: the token-signing key. */
  jwks(): IdentityResponse {
    const jwk = this.options.signingKey.publicKey.export({ format: "jwk" });
    return {
      status: 200,
      headers: discoveryHeaders(),
      body: {
        keys: [
          {
            kty: "RSA",
            use: "sig",
            kid: this.signingKid,
            x5t: this.signingKid,
            n: jwk.n,
            e: jwk.e,
            x5c: [this.signingCertDer],
            issuer: `${this.options.origin()}/${this.tenantId}/v2.0`,
          },
        ],
      },
    };
  }

  /**
   * `GET /common/discovery/instance`: MSAL asks this only without disableInstanceDiscovery; the
   * answer names the emulator as its own (only) cloud alias.
   */
  instanceDiscovery(): IdentityResponse {
    const origin = this.options.origin();
    const host = new URL(origin).host;
    return {
      status: 200,
      headers: discoveryHeaders(),
      body: {
        tenant_discovery_endpoint: `${origin}/{tenant}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }

  /** The emulator's OIDC issuer discovery document (`/_emulator/oidc/.well-known/...`). */
  federationDiscovery(): IdentityResponse {
    const issuer = this.federationIssuer();
    return {
      status: 200,
      headers: discoveryHeaders(),
      body: {
        issuer,
        jwks_uri: `${issuer}/keys`,
        subject_types_supported: ["public"],
        response_types_supported: ["id_token"],
        claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: ["openid"],
      },
    };
  }

  async federationJwks(): Promise<IdentityResponse> {
    const { key, kid } = await this.federationSigningKey();
    const jwk = key.publicKey.export({ format: "jwk" });
    return {
      status: 200,
      headers: discoveryHeaders(),
      body: { keys: [{ kty: "RSA", use: "sig", alg: "RS256", kid, n: jwk.n, e: jwk.e }] },
    };
  }

  // ---- token endpoint -----------------------------------------------------------------------

  /**
   * `POST /{tenant}/oauth2/v2.0/token`. Check order (tenant, request shape, client, credential,
   * scope) follows what Entra reports first when several things are wrong [inferred].
   */
  async token(
    tenantSegment: string,
    form: URLSearchParams,
    headers: Record<string, string>,
  ): Promise<IdentityResponse> {
    const correlationId = form.get("client-request-id") ?? headers["client-request-id"];
    let clientId = form.get("client_id") ?? undefined;
    try {
      const tenant = tenantSegment.toLowerCase();
      if (RESERVED_TENANTS.has(tenant)) {
        throw new EstsError(
          400,
          "invalid_request",
          50059,
          "No tenant-identifying information found in either the request or implied by any provided credentials.",
        );
      }
      if (!this.isThisTenant(tenant)) throw unknownTenant(tenantSegment);

      // client_secret_basic: credentials in the Authorization header instead of the body.
      let secret = form.get("client_secret") ?? undefined;
      const basic = parseBasicAuthorization(headers.authorization);
      if (basic) {
        clientId = clientId ?? basic.clientId;
        secret = secret ?? basic.secret;
      }

      const grantType = form.get("grant_type");
      if (!grantType) throw missingParameter("grant_type");
      if (grantType !== "client_credentials" && grantType !== "password") {
        throw new EstsError(
          400,
          "unsupported_grant_type",
          70003,
          `The app requested an unsupported grant type '${grantType}'. The emulator implements the client credentials and password grants only.`,
        );
      }
      if (!clientId) throw missingParameter("client_id");
      const app = this.credentials.get(clientId.toLowerCase());
      if (!app) {
        throw new EstsError(
          400,
          "unauthorized_client",
          700016,
          `Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
        );
      }

      if (grantType === "password") {
        return await this.userSignIn(app, form, secret, correlationId);
      }
      const assertion = form.get("client_assertion") ?? undefined;
      let appidacr: "1" | "2";
      if (assertion !== undefined) {
        if (form.get("client_assertion_type") !== JWT_BEARER_ASSERTION_TYPE) {
          throw missingParameter("client_assertion_type");
        }
        await this.verifyClientAssertion(app, assertion);
        appidacr = "2";
      } else if (secret !== undefined) {
        if (!secretsEqual(secret, app.secret)) {
          throw new EstsError(
            401,
            "invalid_client",
            7000215,
            `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.app.clientId}'.`,
          );
        }
        appidacr = "1";
      } else {
        throw new EstsError(
          401,
          "invalid_client",
          7000218,
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        );
      }

      const resource = this.resourceOf(form.get("scope"));
      const accessToken = await this.issueAccessToken(app.app.clientId, { resource, appidacr });
      this.issued.push(accessToken);
      if (this.issued.length > MAX_ISSUED_TOKENS_KEPT) this.issued.shift();
      return {
        status: 200,
        headers: tokenHeaders(correlationId),
        body: {
          token_type: "Bearer",
          expires_in: ACCESS_TOKEN_LIFETIME_S,
          ext_expires_in: ACCESS_TOKEN_LIFETIME_S,
          access_token: accessToken,
        },
        clientId: app.app.clientId,
      };
    } catch (err) {
      if (!(err instanceof EstsError)) throw err;
      return { ...this.errorResponse(err, correlationId), clientId };
    }
  }

  /**
   * The password grant (resource owner password credentials): a tenant user signs in through the
   * app and gets a delegated token whose `scp` holds the delegated permissions consented for the
   * app: all of them for `<resource>/.default`, else those asked for, each of which must be
   * consented. It is what @azure/identity's EnvironmentCredential (AZURE_USERNAME, AZURE_PASSWORD)
   * sends, the first link of DefaultAzureCredential. Error codes are ESTS's well-known ones for
   * these cases (AADSTS50034, 50126, 50057, 65001, 7000218) [inferred texts].
   */
  private async userSignIn(
    app: AppCredentials,
    form: URLSearchParams,
    secret: string | undefined,
    correlationId: string | undefined,
  ): Promise<IdentityResponse> {
    const username = form.get("username");
    const password = form.get("password");
    if (!username) throw missingParameter("username");
    if (password === null) throw missingParameter("password");
    if (secret !== undefined) {
      if (!secretsEqual(secret, app.secret)) {
        throw new EstsError(
          401,
          "invalid_client",
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.app.clientId}'.`,
        );
      }
    } else if (app.app.publicClient !== true) {
      throw new EstsError(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    const { resource, asked } = this.delegatedScopesOf(form.get("scope"));
    const user = this.options.signInUser?.(username);
    if (!user) {
      throw new EstsError(
        400,
        "invalid_grant",
        50034,
        `The user account ${username} does not exist in the ${this.tenantId} directory. To sign into this application, the account must be added to the directory.`,
      );
    }
    if (user.password === undefined || !secretsEqual(password, user.password)) {
      throw new EstsError(
        400,
        "invalid_grant",
        50126,
        "Error validating credentials due to invalid username or password.",
      );
    }
    if (!user.accountEnabled) {
      throw new EstsError(400, "invalid_grant", 50057, "The user account is disabled.");
    }
    const consented = app.app.scopes ?? [];
    const byLower = new Map(consented.map((s) => [s.toLowerCase(), s]));
    const missing = (asked ?? []).filter((s) => !byLower.has(s.toLowerCase()));
    if (missing.length > 0 || consented.length === 0) {
      throw new EstsError(
        400,
        "invalid_grant",
        65001,
        `The user or administrator has not consented to use the application with ID '${app.app.clientId}' named '${app.app.name}'. Send an interactive authorization request for this user and resource.`,
      );
    }
    const granted = asked
      ? asked.map((s) => byLower.get(s.toLowerCase()) as string)
      : [...consented];
    const accessToken = await this.issueAccessToken(app.app.clientId, {
      resource,
      appidacr: secret !== undefined ? "1" : "0",
      user,
      scopes: granted,
    });
    this.issued.push(accessToken);
    if (this.issued.length > MAX_ISSUED_TOKENS_KEPT) this.issued.shift();
    const now = Math.floor(this.now() / 1000);
    const idToken = await signJwt(
      { typ: "JWT", alg: "RS256", kid: this.signingKid },
      {
        aud: app.app.clientId,
        iss: `${this.options.origin()}/${this.tenantId}/v2.0`,
        iat: now - CLOCK_SKEW_S,
        nbf: now - CLOCK_SKEW_S,
        exp: now + ACCESS_TOKEN_LIFETIME_S,
        name: user.displayName,
        oid: user.id,
        preferred_username: user.userPrincipalName,
        sub: stableGuid(`${user.id}/${app.app.clientId.toLowerCase()}/id`),
        tid: this.tenantId,
        ver: "2.0",
      },
      this.options.signingKey.privateKey,
    );
    return {
      status: 200,
      headers: tokenHeaders(correlationId),
      body: {
        token_type: "Bearer",
        scope: granted.map((s) => `${resource.replace(/\/$/, "")}/${s}`).join(" "),
        expires_in: ACCESS_TOKEN_LIFETIME_S,
        ext_expires_in: ACCESS_TOKEN_LIFETIME_S,
        access_token: accessToken,
        id_token: idToken,
        client_info: Buffer.from(
          JSON.stringify({ uid: user.id, utid: this.tenantId }),
          "utf8",
        ).toString("base64url"),
      },
      clientId: app.app.clientId,
    };
  }

  /**
   * A delegated request's scopes: OpenID Connect's own (openid, profile, email, offline_access)
   * aside, one resource's `.default` (undefined `asked`: every consented permission) or its
   * permissions by name (`https://graph.microsoft.com/AuditLog.Read.All`).
   */
  private delegatedScopesOf(scope: string | null): { resource: string; asked?: string[] } {
    const words = (scope ?? "").trim().split(/\s+/).filter(Boolean);
    const resourceScopes = words.filter((w) => !OIDC_SCOPES.has(w.toLowerCase()));
    const defaults = resourceScopes.filter((w) => w.endsWith("/.default"));
    if (defaults.length === 1 && resourceScopes.length === 1) {
      return { resource: this.resourceOf(defaults[0]) };
    }
    if (resourceScopes.length === 0 || defaults.length > 0)
      return { resource: this.resourceOf(scope) };
    const resources = new Set<string>();
    const asked: string[] = [];
    for (const word of resourceScopes) {
      const at = word.lastIndexOf("/");
      if (at <= 0) {
        throw new EstsError(
          400,
          "invalid_scope",
          70011,
          `The provided value for the input parameter 'scope' is not valid. The scope ${word} is not valid.`,
        );
      }
      resources.add(this.resourceOf(`${word.slice(0, at)}/.default`));
      asked.push(word.slice(at + 1));
    }
    if (resources.size > 1) return { resource: this.resourceOf(resourceScopes.join(" ")) };
    return { resource: [...resources][0], asked };
  }

  /** The resource of a client-credentials scope, which must be exactly one `<resource>/.default`. */
  private resourceOf(scope: string | null): string {
    if (!scope || !scope.trim()) {
      throw new EstsError(
        400,
        "invalid_request",
        90014,
        "The required field 'scope' is missing from the credential. Ensure that you have all the necessary parameters for the login request.",
      );
    }
    const scopes = scope.trim().split(/\s+/);
    const invalidScope = (code: number, text: string) =>
      new EstsError(400, "invalid_scope", code, text);
    for (const s of scopes) {
      if (!s.endsWith("/.default")) {
        throw invalidScope(
          1002012,
          `The provided value for scope ${s} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
    }
    if (scopes.length > 1) {
      throw invalidScope(
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${scopes.join(" ")} is not valid. static scope limit exceeded.`,
      );
    }
    const resource = scopes[0].slice(0, -"/.default".length);
    // "https://graph.microsoft.com//.default" (a resource with a trailing slash) is accepted too.
    const canonical = resource.replace(/\/$/, "").toLowerCase();
    if (![...GRAPH_RESOURCES, ...OTHER_RESOURCES].includes(canonical)) {
      throw new EstsError(
        400,
        "invalid_resource",
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${this.tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      );
    }
    return resource;
  }

  /**
   * A JWT-bearer client assertion. iss = sub = client id means the app signed it with one of its
   * certificates; any other issuer means a federated token to match against the app's federated
   * identity credentials.
   */
  private async verifyClientAssertion(app: AppCredentials, assertion: string): Promise<void> {
    const jwt = parseJwt(assertion);
    if (!jwt) {
      throw new EstsError(400, "invalid_request", 50027, "JWT token is invalid or malformed.");
    }
    const iss = typeof jwt.payload.iss === "string" ? jwt.payload.iss : "";
    if (iss.toLowerCase() === app.app.clientId.toLowerCase()) {
      this.verifyCertificateAssertion(app, jwt);
    } else {
      await this.verifyFederatedAssertion(app, jwt, iss);
    }
  }

  private verifyCertificateAssertion(app: AppCredentials, jwt: JwtParts): void {
    const x5tS256 = headerThumbprint(jwt.header["x5t#S256"]);
    const x5t = headerThumbprint(jwt.header.x5t);
    const presented = x5tS256 ?? x5t ?? "";
    const cert = app.certificates.find((c) =>
      x5tS256 ? c.thumbprintSha256 === x5tS256 : c.thumbprint === x5t,
    );
    if (!cert) {
      throw new EstsError(
        401,
        "invalid_client",
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${presented}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.app.clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${app.app.clientId}']`,
      );
    }
    const found = `Found key 'Start=${estsKeyDate(cert.validFrom)}, End=${estsKeyDate(cert.validTo)}'`;
    const now = this.now();
    if (now < cert.validFrom || now > cert.validTo) {
      throw new EstsError(
        401,
        "invalid_client",
        700027,
        `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${presented}', ${found}]`,
      );
    }
    if (!verifySignature(jwt, [cert.publicKey])) {
      throw new EstsError(
        401,
        "invalid_client",
        700027,
        `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${presented}', ${found}]`,
      );
    }
    if (String(jwt.payload.sub ?? "").toLowerCase() !== app.app.clientId.toLowerCase()) {
      throw new EstsError(
        401,
        "invalid_client",
        700021,
        "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials",
      );
    }
    const audiences = audiencesOf(jwt.payload.aud);
    if (!audiences.some((aud) => this.isTokenEndpointAudience(aud))) {
      throw new EstsError(
        401,
        "invalid_client",
        50012,
        "Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials",
      );
    }
    this.checkAssertionLifetime(jwt);
  }

  /** Entra accepts its token endpoint (v1 or v2) or its v2 issuer as a client assertion audience. */
  private isTokenEndpointAudience(aud: string): boolean {
    let url: URL;
    try {
      url = new URL(aud);
    } catch {
      return false;
    }
    const own = new URL(this.options.origin());
    const loopbackAliases = new Set(["127.0.0.1", "localhost", "[::1]"]);
    if (url.protocol !== "https:" || url.port !== own.port) return false;
    if (!loopbackAliases.has(url.hostname)) return false;
    const path = url.pathname.toLowerCase().replace(/\/$/, "");
    return [
      `/${this.tenantId}/oauth2/v2.0/token`,
      `/${this.tenantId}/oauth2/token`,
      `/${this.tenantId}/v2.0`,
    ].includes(path);
  }

  private checkAssertionLifetime(jwt: JwtParts): void {
    const now = this.now();
    const exp = typeof jwt.payload.exp === "number" ? jwt.payload.exp * 1000 : undefined;
    const nbf = typeof jwt.payload.nbf === "number" ? jwt.payload.nbf * 1000 : 0;
    const skew = CLOCK_SKEW_S * 1000;
    if (exp === undefined || now > exp + skew || now + skew < nbf) {
      throw new EstsError(
        401,
        "invalid_client",
        700024,
        `Client assertion is not within its valid time range. Current time: ${estsInstant(now)}, assertion valid from ${estsInstant(nbf)}, expiry time of assertion ${exp === undefined ? "(none)" : estsInstant(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials`,
      );
    }
  }

  private async verifyFederatedAssertion(
    app: AppCredentials,
    jwt: JwtParts,
    iss: string,
  ): Promise<void> {
    const noMatch = (what: string, value: string, code = 700211, extra = "") =>
      new EstsError(
        401,
        "invalid_client",
        code,
        `No matching federated identity record found for presented assertion ${what} '${value}'.${extra} Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      );
    const byIssuer = app.federated.filter((f) => f.issuer === iss);
    if (byIssuer.length === 0) throw noMatch("issuer", iss);

    const keys = await this.issuerSigningKeys(byIssuer[0]);
    if (!verifySignature(jwt, keys)) {
      throw new EstsError(
        401,
        "invalid_client",
        700027,
        `Client assertion contains an invalid signature. [Reason - The key was not found., Key id used by client: '${String(jwt.header.kid ?? "")}', issuer '${iss}']`,
      );
    }
    this.checkAssertionLifetime(jwt);

    const sub = typeof jwt.payload.sub === "string" ? jwt.payload.sub : "";
    const bySubject = byIssuer.filter((f) => f.subject === sub);
    if (bySubject.length === 0) {
      // Matching has been case-sensitive since 2024; Entra says so when only the case differs.
      if (byIssuer.some((f) => f.subject.toLowerCase() === sub.toLowerCase())) {
        throw noMatch(
          "subject",
          sub,
          7002138,
          " The subject matches with case-insensitive comparison, but not with case-sensitive comparison.",
        );
      }
      throw noMatch("subject", sub, 700213);
    }
    const audiences = audiencesOf(jwt.payload.aud);
    if (!bySubject.some((f) => f.audiences.some((a) => audiences.includes(a)))) {
      throw noMatch("audience", audiences.join(","), 700212);
    }
  }

  /**
   * Keys of a federated issuer: the emulator's own, the credential's `jwks`, or fetched from a
   * loopback issuer's discovery document (Entra fetches any issuer; this machine reaches only
   * loopback).
   */
  private async issuerSigningKeys(credential: FederatedCredential): Promise<KeyObject[]> {
    if (credential.issuer === this.federationIssuer()) {
      return [(await this.federationSigningKey()).key.publicKey];
    }
    if (credential.jwks)
      return credential.jwks.keys.map((k) => createPublicKey({ key: k, format: "jwk" }));
    const cached = this.issuerKeys.get(credential.issuer);
    if (cached && this.now() - cached.fetched < 5 * 60 * 1000) return cached.keys;
    const failed = new EstsError(
      401,
      "invalid_client",
      50166,
      `Request to External OIDC endpoint failed. Issuer: '${credential.issuer}'.`,
    );
    let url: URL;
    try {
      url = new URL(credential.issuer);
    } catch {
      throw failed;
    }
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) throw failed;
    try {
      const discovery = (await getJson(
        `${credential.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      )) as { jwks_uri?: string };
      if (!discovery.jwks_uri) throw failed;
      const jwks = (await getJson(discovery.jwks_uri)) as { keys?: JsonWebKey[] };
      const keys = (jwks.keys ?? []).map((k) => createPublicKey({ key: k, format: "jwk" }));
      this.issuerKeys.set(credential.issuer, { keys, fetched: this.now() });
      return keys;
    } catch {
      throw failed;
    }
  }

  // ---- access tokens on Graph ---------------------------------------------------------------

  /**
   * Validates `Authorization: Bearer ...` as Graph does; messages are Graph's
   * (graph-contract.md §7.2; the signature and issuer messages are [inferred]).
   */
  authenticate(authorization: string | undefined): AuthenticationResult {
    const match = /^\s*bearer\s+(\S*)\s*$/i.exec(authorization ?? "");
    const token = match ? match[1] : "";
    if (!token) return { ok: false, message: "Access token is empty." };
    const cached = this.verifiedTokens.get(token);
    if (cached) return this.checkLifetime(cached);

    const jwt = parseJwt(token);
    if (!jwt) {
      return { ok: false, message: "CompactToken parsing failed with error code: 80049217" };
    }
    if (
      jwt.header.kid !== this.signingKid ||
      !verifySignature(jwt, [this.options.signingKey.publicKey])
    ) {
      return { ok: false, message: "Access token validation failure." };
    }
    const claims = jwt.payload as unknown as AccessTokenClaims;
    if (
      claims.iss !== `https://sts.windows.net/${this.tenantId}/` ||
      String(claims.tid).toLowerCase() !== this.tenantId
    ) {
      return { ok: false, message: "Access token validation failure. Invalid issuer." };
    }
    const aud = String(claims.aud ?? "")
      .replace(/\/$/, "")
      .toLowerCase();
    if (!GRAPH_RESOURCES.includes(aud)) {
      return { ok: false, message: "Access token validation failure. Invalid audience." };
    }
    const app = this.credentials.get(String(claims.appid ?? "").toLowerCase());
    if (!app) return { ok: false, message: "Access token validation failure." };
    const result = {
      ok: true as const,
      claims,
      caller: {
        clientId: app.app.clientId,
        appName: app.app.name,
        tenantId: this.options.tenantId,
        roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
        ...(typeof claims.scp === "string"
          ? { scopes: claims.scp.split(" ").filter(Boolean), userId: String(claims.oid) }
          : {}),
      },
    };
    // Bounded: a long-running emulator sees a new token per app per hour at most, tests a few more.
    if (this.verifiedTokens.size >= 512) this.verifiedTokens.clear();
    this.verifiedTokens.set(token, result);
    return this.checkLifetime(result);
  }

  private checkLifetime(result: AuthenticationResult & { ok: true }): AuthenticationResult {
    const now = this.now() / 1000;
    if (now > result.claims.exp + CLOCK_SKEW_S) {
      return { ok: false, message: "Lifetime validation failed, the token is expired." };
    }
    if (now + CLOCK_SKEW_S < result.claims.nbf) {
      return { ok: false, message: "Lifetime validation failed, the token is not yet valid." };
    }
    return result;
  }

  /** Renders an ESTS error body (also used for injected faults on identity endpoints). */
  errorResponse(err: EstsError, correlationId: string | undefined): IdentityResponse {
    const traceId = randomUUID();
    const correlation = correlationId ?? randomUUID();
    const timestamp = estsTimestamp(this.now());
    return {
      status: err.status,
      headers: { ...tokenHeaders(correlation), "x-ms-request-id": traceId },
      body: {
        error: err.error,
        error_description: `AADSTS${err.code}: ${err.message} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
        error_codes: [err.code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlation,
        error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
      },
    };
  }

  /** An ESTS-shaped error for injected faults on identity endpoints. */
  faultResponse(status: number, correlationId: string | undefined): IdentityResponse {
    const err =
      status === 429
        ? new EstsError(
            429,
            "temporarily_unavailable",
            90055,
            "There are too many incoming requests. Please try again later.",
          )
        : status >= 500
          ? new EstsError(
              status,
              "temporarily_unavailable",
              90033,
              "A transient error has occurred. Please try again.",
            )
          : new EstsError(
              status,
              "invalid_request",
              90000,
              "The request was rejected by the emulator's fault injection.",
            );
    return this.errorResponse(err, correlationId);
  }
}

const CLAIMS_SUPPORTED = [
  "sub",
  "iss",
  "cloud_instance_name",
  "cloud_instance_host_name",
  "cloud_graph_host_name",
  "msgraph_host",
  "aud",
  "exp",
  "iat",
  "auth_time",
  "acr",
  "nonce",
  "preferred_username",
  "name",
  "tid",
  "ver",
  "at_hash",
  "c_hash",
  "email",
];

function unknownTenant(tenant: string): EstsError {
  return new EstsError(
    400,
    "invalid_tenant",
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  );
}

function missingParameter(name: string): EstsError {
  return new EstsError(
    400,
    "invalid_request",
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}

function discoveryHeaders(): Record<string, string> {
  return {
    "cache-control": "max-age=86400, private",
    "content-type": "application/json; charset=utf-8",
    "access-control-allow-origin": "*",
    "x-ms-request-id": randomUUID(),
  };
}

function tokenHeaders(correlationId: string | undefined): Record<string, string> {
  return {
    "cache-control": "no-store, no-cache",
    pragma: "no-cache",
    expires: "-1",
    "content-type": "application/json; charset=utf-8",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-ms-request-id": randomUUID(),
    "x-ms-ests-server": "2.1.emulator",
    ...(correlationId ? { "client-request-id": correlationId } : {}),
  };
}

/** "2023-05-06 06:03:00Z", as ESTS prints timestamps. */
function estsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19) + "Z";
}

/** "2024-10-02T22:05:03.6755165Z": seven fractional digits, as .NET prints instants. */
function estsInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/** "02/07/2021 17:00:39", the key validity format in AADSTS700027 messages. */
function estsKeyDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** Entra's secret format: 40 characters with "8Q~" (a version marker) in 4th–6th place. */
function generateClientSecret(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-~";
  const pick = (n: number) =>
    Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");
  return `${pick(3)}8Q~${pick(34)}`;
}

/** A GUID derived from a name, so that an app's service principal id is stable across starts. */
/** The service principal id of an app whose tenant file entry names none. */
export function derivedServicePrincipalId(tenantId: string, clientId: string): string {
  return stableGuid(`${tenantId.toLowerCase()}/sp/${clientId.toLowerCase()}`);
}

export function stableGuid(name: string): string {
  const h = createHash("sha256").update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function secretsEqual(a: string, b: string): boolean {
  // Hash first so that lengths match and the comparison takes constant time.
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

function parseBasicAuthorization(
  header: string | undefined,
): { clientId: string; secret: string } | undefined {
  const m = /^\s*basic\s+(\S+)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
  const unescape = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
  try {
    return {
      clientId: unescape(decoded.slice(0, colon)),
      secret: unescape(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

function headerThumbprint(value: unknown): string | undefined {
  if (typeof value !== "string" || !value) return undefined;
  return Buffer.from(value, "base64url").toString("hex").toUpperCase();
}

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return [];
}

function publicCertificate(c: CertificateCredential): RegisteredCertificate {
  return {
    keyId: c.keyId,
    thumbprint: c.thumbprint,
    thumbprintSha256: c.thumbprintSha256,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
  };
}

export function parseJwt(token: string): JwtParts | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[0] || !parts[1]) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as unknown;
    const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    if (!isObject(header) || !isObject(payload)) return undefined;
    return {
      header,
      payload,
      signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
      signature: Buffer.from(parts[2], "base64url"),
    };
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** RS256 / PS256 (what MSAL signs certificate assertions with) / ES256 signatures. */
function verifySignature(jwt: JwtParts, keys: KeyObject[]): boolean {
  const alg = jwt.header.alg;
  for (const key of keys) {
    try {
      if (alg === "RS256" && key.asymmetricKeyType === "rsa") {
        if (cryptoVerify("sha256", jwt.signingInput, key, jwt.signature)) return true;
      } else if (alg === "PS256" && key.asymmetricKeyType === "rsa") {
        const ok = cryptoVerify(
          "sha256",
          jwt.signingInput,
          {
            key,
            padding: cryptoConstants.RSA_PKCS1_PSS_PADDING,
            saltLength: cryptoConstants.RSA_PSS_SALTLEN_AUTO,
          },
          jwt.signature,
        );
        if (ok) return true;
      } else if (alg === "ES256" && key.asymmetricKeyType === "ec") {
        const ok = cryptoVerify(
          "sha256",
          jwt.signingInput,
          { key, dsaEncoding: "ieee-p1363" },
          jwt.signature,
        );
        if (ok) return true;
      }
    } catch {
      // A key of the wrong kind or size: try the next one.
    }
  }
  return false;
}

/** RS256 signing on the libuv thread pool, off the event loop. */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): Promise<string> {
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(
    JSON.stringify(payload),
  ).toString("base64url")}`;
  return new Promise((resolve, reject) =>
    cryptoSign("sha256", Buffer.from(input), key, (err, signature) =>
      err ? reject(err) : resolve(`${input}.${signature.toString("base64url")}`),
    ),
  );
}

function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if ((res.statusCode ?? 500) >= 400) return reject(new Error(`HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}
