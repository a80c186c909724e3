// What every provider method needs at call time, inside the provider process: the settings (stack
// config handed over by the engine's configure call, else the environment), one Graph client for
// those settings, the tenant id, and a way to warn the user. Nothing here is ever serialized.
import { resolveSettings, type ConfigLookup, type ResolvedSettings } from "../../config";
import { GraphClient, parseReportRateLimit, type GraphClientOptions } from "../../graph";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { isGuid } from "../../model";

let configLookup: ConfigLookup = () => undefined;
let environment: NodeJS.ProcessEnv = process.env;
let cached: { key: string; client: GraphClient; tenantId?: Promise<string> } | undefined;

/** Called by the dynamic provider's configure() with the stack's config (namespaced keys). */
export function setConfig(lookup: ConfigLookup, env: NodeJS.ProcessEnv = process.env): void {
  configLookup = lookup;
  environment = env;
  cached = undefined;
}

function resolved(): ResolvedSettings {
  return resolveSettings(configLookup, environment);
}

/** Retry and timeout knobs, from the environment (documented in docs/resources.md). */
function clientOptions(): GraphClientOptions {
  const number = (name: string): number | undefined => {
    const value = environment[name];
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
    reportRateLimit: parseReportRateLimit(environment.ENTRA_NUDGE_REPORT_RATE_LIMIT),
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

/** The Graph client for the current settings (settings errors surface here, before any write). */
export function graph(): GraphClient {
  const settings = resolved();
  const key = JSON.stringify(settings.settings);
  if (!cached || cached.key !== key) {
    cached = {
      key,
      client: new GraphClient(settings, {
        ...clientOptions(),
        credential: oneSignInAtATime(() => settings.createCredential()),
      }),
    };
    // Once per settings: a misspelled entra-nudge: key, plain HTTP allowed for development.
    for (const message of settings.warnings) warn(message);
  }
  return cached.client;
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

/** The tenant the current settings point at, as a lower-case GUID. */
export function tenantId(): Promise<string> {
  const client = graph();
  const entry = cached as NonNullable<typeof cached>;
  if (!entry.tenantId) entry.tenantId = lookUpTenantId(client);
  return entry.tenantId;
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

// ---- warnings ----

type WarningSink = (message: string, ephemeral: boolean) => void;
let sink: WarningSink | undefined;

/** Tests (and embedders) capture warnings here instead of sending them to the engine. */
export function setWarningSink(next: WarningSink | undefined): void {
  sink = next;
}

/**
 * A warning the user sees in the engine's output. The Node dynamic-provider host does not wire up
 * logging, but it is started with the engine's address as its argument, and the engine's Log RPC
 * is how every provider reports diagnostics.
 */
export function warn(message: string, ephemeral = false): void {
  if (sink) {
    sink(message, ephemeral);
    return;
  }
  const address = engineAddress();
  if (!address) {
    process.stderr.write(`warning: ${message}\n`);
    return;
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when a warning is sent */
  const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const engineRpc =
    require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
  const engineProto =
    require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
  const request = new engineProto.LogRequest();
  request.setSeverity(engineProto.LogSeverity.WARNING);
  request.setMessage(message);
  request.setEphemeral(ephemeral);
  client.log(request, (error) => {
    if (error) process.stderr.write(`warning: ${message}\n`);
    client.close();
  });
}

function engineAddress(): string | undefined {
  const script = process.argv[1] ?? "";
  if (!/dynamic-provider/.test(script)) return undefined;
  const address = process.argv[2];
  return address && /:\d+$/.test(address) ? address : undefined;
}
