// The provider process's one session (provider/session.ts). The engine starts a dynamic-provider
// process per deployment and configures it with the stack's config (index.ts, configure): every
// provider method of the process then uses this session's settings, Graph client (one sign-in),
// tenant id and warnings, which go to the engine's log. Only the providers use it: commands and
// features create their own session and pass it down.
import { CONFIG_NAMESPACE, type ConfigLookup } from "../../config";
import type { GraphClient } from "../../graph";
import {
  BREAK_GLASS_CONFIG_KEY,
  BREAK_GLASS_ENVIRONMENT,
  parseBreakGlassGroups,
} from "../../model";
import { createSession, type Session, type WarningSink } from "../../session";
import { currentUrn } from "./host";

let configLookup: ConfigLookup = () => undefined;
let processEnv: NodeJS.ProcessEnv = process.env;
let session: Session | undefined;

/** Called by the dynamic provider's configure() with the stack's config (namespaced keys). */
export function setConfig(lookup: ConfigLookup, env: NodeJS.ProcessEnv = process.env): void {
  configLookup = lookup;
  processEnv = env;
  session = undefined;
}

/**
 * The process's session, created at its first use after configure (settings errors surface here,
 * before any write, and again at every use until the settings are fixed).
 */
export function current(): Session {
  session ??= createSession({ config: configLookup, env: processEnv, warn });
  return session;
}

/** The environment the process's settings come from. */
export function environment(): NodeJS.ProcessEnv {
  return processEnv;
}

/**
 * The break-glass group ids of the stack config (entra-nudge:breakGlassGroups) or the environment;
 * the settings refuse a malformed value before this is asked.
 */
export function breakGlassGroups(): string[] {
  const raw: unknown =
    configLookup(`${CONFIG_NAMESPACE}:${BREAK_GLASS_CONFIG_KEY}`) ??
    processEnv[BREAK_GLASS_ENVIRONMENT];
  if (raw === undefined || raw === null) return [];
  return parseBreakGlassGroups(typeof raw === "string" ? raw : JSON.stringify(raw)).groups;
}

/** The process's Graph client. */
export function graph(): GraphClient {
  return current().graph;
}

/** The tenant the process's settings point at, as a lower-case GUID. */
export function tenantId(): Promise<string> {
  return current().tenantId();
}

// ---- warnings ----

let sink: WarningSink | undefined;

/** Tests (and embedders) capture the providers' warnings here instead of sending them to the engine. */
export function setWarningSink(next: WarningSink | undefined): void {
  sink = next;
}

/**
 * A warning the user sees in the engine's output. The Node dynamic-provider host does not wire up
 * logging, but it is started with the engine's address as its argument, and the engine's Log RPC
 * is how every provider reports diagnostics.
 */
export function warn(message: string, ephemeral = false): void {
  const urn = currentUrn();
  if (sink) {
    sink(message, ephemeral, urn);
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
  // On the resource, not on the stack (host.ts: how the URN is known).
  if (urn) request.setUrn(urn);
  client.log(request, (error) => {
    if (error) process.stderr.write(`warning: ${message}\n`);
    client.close();
  });
}

/**
 * The URN of the deployment's root resource (the `pulumi:pulumi:Stack` resource, which names the
 * stack and the project), asked of the engine (its GetRootResource RPC, the engine service that
 * also takes Log). The program registers that resource before any other, so it is known by the
 * time a provider is called. Undefined outside the engine's provider host or when the engine does
 * not answer within a few seconds.
 */
export function engineRootUrn(): Promise<string | undefined> {
  const address = engineAddress();
  if (!address) return Promise.resolve(undefined);
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when asked */
  const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const engineRpc =
    require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
  const engineProto =
    require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.getRootResource(
      new engineProto.GetRootResourceRequest(),
      new grpc.Metadata(),
      { deadline: Date.now() + 5_000 },
      (error, response) => {
        client.close();
        const urn = error ? undefined : response?.getUrn();
        resolve(urn ? urn : undefined);
      },
    );
  });
}

/** Whether this process is the engine's Node dynamic-provider host. */
export function inProviderProcess(): boolean {
  return engineAddress() !== undefined;
}

function engineAddress(): string | undefined {
  const script = process.argv[1] ?? "";
  if (!/dynamic-provider/.test(script)) return undefined;
  const address = process.argv[2];
  return address && /:\d+$/.test(address) ? address : undefined;
}
