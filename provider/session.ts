// A Graph session: what one job needs to talk to one tenant. The settings (stack config, then the
// environment) resolved once, one Graph client for them with its single sign-in, the tenant id,
// and where warnings go. Whoever runs a job creates its session and passes it down: each CLI
// command, each stack of a multi-stack run, and (provider/resources/providers/processSession.ts)
// each dynamic-provider process. Nothing here is process-wide, and nothing is ever serialized.
import type { AccessToken, TokenCredential } from "@azure/identity";
import { resolveSettings, type ConfigLookup, type GraphSettings } from "./config";
import { GraphClient, parseReportRateLimit, type GraphClientOptions } from "./graph";
import { isGuid } from "./model";

/**
 * Where a session's warnings go; `ephemeral` ones (a retry) need not outlive the run's display;
 * `urn`: the resource a provider call is about (the providers know it; commands pass none).
 */
export type WarningSink = (message: string, ephemeral: boolean, urn?: string) => void;

export interface Session {
  /** The resolved settings (no secret: safe to show). */
  readonly settings: GraphSettings;
  /** The one Graph client of the session; its credential signs in once, at first use. */
  readonly graph: GraphClient;
  /** The tenant the settings sign in to, as a lower-case GUID (looked up once, when first asked). */
  tenantId(): Promise<string>;
  /** A warning the user sees (through the session's sink). */
  warn(message: string, ephemeral?: boolean): void;
}

export interface SessionOptions {
  /** The stack's config (namespaced keys); none: the environment alone gives the settings. */
  config?: ConfigLookup;
  env: NodeJS.ProcessEnv;
  warn: WarningSink;
}

/**
 * Resolves the settings and builds the session's client. Settings problems (a China cloud, a bad
 * endpoint, a bad retry knob) are thrown here, before anything is read or written; the settings'
 * own warnings (a misspelled entra-nudge: key, plain HTTP allowed) are sent to the sink once.
 */
export function createSession(options: SessionOptions): Session {
  const { env } = options;
  const warn = (message: string, ephemeral = false) => options.warn(message, ephemeral);
  const resolved = resolveSettings(options.config ?? (() => undefined), env);
  const graph = new GraphClient(resolved, {
    ...clientOptions(env, warn),
    credential: oneSignInAtATime(() => resolved.createCredential()),
  });
  for (const message of resolved.warnings) warn(message);
  let tenant: Promise<string> | undefined;
  return {
    settings: graph.settings,
    graph,
    tenantId: () => (tenant ??= lookUpTenantId(graph)),
    warn,
  };
}

/** Retry and timeout knobs, from the environment (documented in docs/resources.md). */
function clientOptions(
  env: NodeJS.ProcessEnv,
  warn: (message: string, ephemeral: boolean) => void,
): GraphClientOptions {
  const number = (name: string): number | undefined => {
    const value = env[name];
    if (value === undefined || value.trim() === "") return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) {
      throw new Error(`${name}: "${value}" is not a non-negative number.`);
    }
    return n;
  };
  return {
    maxRetries: number("ENTRA_NUDGE_MAX_RETRIES"),
    retryDelaySeconds: number("ENTRA_NUDGE_RETRY_DELAY_SECONDS"),
    timeoutMs: number("ENTRA_NUDGE_TIMEOUT_MS"),
    reportRateLimit: parseReportRateLimit(env.ENTRA_NUDGE_REPORT_RATE_LIMIT),
    onRetry: (e) =>
      warn(
        `${
          e.transportFailure
            ? `Microsoft Graph did not answer ${e.method} ${pathOf(e.url)} (${e.transportFailure})`
            : `Microsoft Graph answered ${e.status} to ${e.method} ${pathOf(e.url)}`
        }; retrying in ${e.delaySeconds} s (attempt ${e.attempt + 1}).`,
        true,
      ),
  };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * The credential, created at its first use (so a preview that calls no Graph loads no identity
 * SDK), with concurrent token requests for the same scopes sharing one sign-in: the engine runs
 * the resources' first calls in parallel, and each would otherwise sign in on its own.
 */
function oneSignInAtATime(create: () => TokenCredential): TokenCredential {
  let credential: TokenCredential | undefined;
  const pending = new Map<string, Promise<AccessToken | null>>();
  return {
    getToken(scopes, options) {
      credential ??= create();
      // A claims challenge (continuous access evaluation) is a sign-in of its own.
      if (options?.claims) return credential.getToken(scopes, options);
      const key = ([] as string[]).concat(scopes).join(" ");
      let request = pending.get(key);
      if (!request) {
        request = credential.getToken(scopes, options).finally(() => pending.delete(key));
        pending.set(key, request);
      }
      return request;
    },
  };
}

async function lookUpTenantId(client: GraphClient): Promise<string> {
  const configured = client.settings.tenantId;
  if (configured && isGuid(configured)) return configured.toLowerCase();
  // A domain name or DefaultAzureCredential: the tenant is the `tid` claim of the access token
  // Microsoft Entra issues (a documented claim of v1 and v2 access tokens).
  const token = await client.accessToken();
  const payload = token.split(".")[1];
  const tid = payload
    ? (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown }).tid
    : undefined;
  if (typeof tid !== "string" || !isGuid(tid)) {
    throw new Error(
      "Could not tell which tenant the credential signs in to: set entra-nudge:tenantId (or AZURE_TENANT_ID) to the directory (tenant) id.",
    );
  }
  return tid.toLowerCase();
}
