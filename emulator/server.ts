// The emulator's HTTPS server on 127.0.0.1: routes the Entra endpoints to identity.ts, Graph calls
// (`/v1.0/...`, `/beta/...`, `$batch`) through authentication, fault injection and throttling to
// the Graph handlers, and the loopback-only control endpoints (`/_emulator/...`). Every Graph
// response carries the service's headers (graph-contract.md §0.2) and every error its envelope
// (§0.3); an exception in a handler becomes a 500, never a crash.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import {
  ConnectionReset,
  executeBatch,
  parseBatch,
  type BatchStep,
  type BatchStepResult,
} from "./batch.js";
import { GraphHttpError, errorEnvelope } from "./errors.js";
import { FaultInjector, type FaultAction, type FaultAnswer, type FaultSpec } from "./faults.js";
import {
  EstsError,
  IdentityProvider,
  type FederatedCredentialInput,
  type IdentityResponse,
  type SigningKey,
} from "./identity.js";
import { Throttler, type ThrottleConfig, type ThrottleOptions } from "./throttle.js";
import {
  createClientCertificate,
  createSelfSignedCertificate,
  createServerCertificate,
  ensureCertificateAuthority,
  processKeyPair,
  type CertificateAuthority,
} from "./tls.js";
import type {
  CallerIdentity,
  GraphApi,
  GraphRequest,
  GraphResponse,
  GraphVersion,
} from "./types.js";

/** A GraphApi whose realism switches can be changed at run time (createGraphApi's). */
export type ConfigurableGraphApi = GraphApi & {
  configure?(options: Record<string, unknown>): void;
  /** Runs the registration campaign for simulated days (createGraphApi's; see graph/simulate.ts). */
  simulate?(parameters: Record<string, unknown>): unknown;
  /** What Microsoft did to tenants on 2026-09-01 (createGraphApi's; see graph/migration.ts). */
  microsoftMigration?(parameters: Record<string, unknown>): unknown;
  /** Whom the campaign would prompt if everyone signed in with MFA now (graph/simulate.ts). */
  forecastPrompts?(parameters: Record<string, unknown>): unknown;
};

export interface RequestLogEntry {
  method: string;
  /** URL path with the version (Graph) or the identity path, percent-decoded, no query. */
  path: string;
  /** HTTP status; 0 when a fault reset the connection instead. */
  status: number;
  /** The calling app's client id; null when it could not be established. */
  clientId: string | null;
  /** ISO 8601 time the request arrived. */
  time: string;
  /** The raw query string without "?", when there was one. */
  query?: string;
  /** For $batch steps: the request-id of the $batch request. */
  batchId?: string;
  requestId?: string;
  /**
   * Graph calls: the row of Microsoft's permission table that decided it
   * (emulator/graph/permissionTable.ts), or null when the table does not list the call.
   */
  permissionRow?: string | null;
}

export interface EmulatorConfigInput {
  /** Passed to the Graph handlers (replication lag of new objects, in ms). */
  replicationDelayMs?: number;
  /** `true`/`false` switches Graph throttling; an object sets limits (and turns it on). */
  throttling?: ThrottleOptions | boolean;
  /** Any other switch is passed to the Graph handlers' configure(). */
  [switchName: string]: unknown;
}

export interface EmulatorServerOptions {
  graphApi: ConfigurableGraphApi;
  /** 0 (the default) picks a free port. */
  port?: number;
  throttling?: ThrottleOptions | boolean;
  ca?: CertificateAuthority;
  /** Called for each logged request (the CLI prints them to stderr). */
  onRequest?: (entry: RequestLogEntry) => void;
}

const GRAPH_JSON =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
/** A plausible diagnostic header, shaped like the service's [inferred content]. */
const AGS_DIAGNOSTIC = JSON.stringify({
  ServerInfo: {
    DataCenter: "Local Emulator",
    Slice: "E",
    Ring: "5",
    ScaleUnit: "000",
    RoleInstance: "EMULATOR0001",
  },
});
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_LOG_ENTRIES = 100_000;

type Outcome = {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  /** A fault's hand-made or reshaped answer (raw body, truncation). */
  answer?: FaultAnswer;
};

interface CallContext {
  requestId: string;
  clientRequestId: string;
  time: string;
  caller: CallerIdentity;
  baseUrl: string;
  batchId?: string;
}

export class EmulatorServer {
  readonly identity: IdentityProvider;
  readonly faults = new FaultInjector();
  readonly throttle: Throttler;
  readonly ca: CertificateAuthority;
  private readonly log: RequestLogEntry[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private originValue = "";

  private constructor(
    private readonly server: Server,
    readonly graphApi: ConfigurableGraphApi,
    signingKey: SigningKey,
    ca: CertificateAuthority,
    private readonly options: EmulatorServerOptions,
  ) {
    this.ca = ca;
    this.throttle = new Throttler(options.throttling);
    this.identity = new IdentityProvider({
      tenantId: graphApi.tenantId,
      verifiedDomains: graphApi.verifiedDomains ?? [],
      apps: graphApi.apps,
      signInUser: graphApi.signInUser?.bind(graphApi),
      signingKey,
      federationKey: async () => {
        const keys = await processKeyPair("federation-issuer");
        return {
          ...keys,
          certificatePem: createSelfSignedCertificate(keys, "emulator-oidc-issuer"),
        };
      },
      origin: () => this.originValue,
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.dispatch(req, res).catch((err: unknown) => this.crashed(req, res, err));
    });
  }

  /** Creates the certificates and starts listening on 127.0.0.1. */
  static async start(options: EmulatorServerOptions): Promise<EmulatorServer> {
    const ca = options.ca ?? ensureCertificateAuthority();
    const [tls, signing] = await Promise.all([
      createServerCertificate(ca),
      processKeyPair("token-signing"),
    ]);
    const signingKey: SigningKey = {
      ...signing,
      certificatePem: createSelfSignedCertificate(signing, "emulator-token-signing"),
    };
    const server = createServer({ key: tls.privateKeyPem, cert: tls.certificatePem });
    // Clients keep connections alive for a while; closing ours first would race their next request.
    server.keepAliveTimeout = 30_000;
    server.headersTimeout = 31_000;
    const emulator = new EmulatorServer(server, options.graphApi, signingKey, ca, options);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    emulator.originValue = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return emulator;
  }

  /** "https://127.0.0.1:PORT" */
  get origin(): string {
    return this.originValue;
  }

  requests(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  /** Tenant back to its loaded state; request log, faults and throttling counters cleared. */
  reset(): void {
    this.graphApi.reset();
    this.log.length = 0;
    this.faults.clear();
    this.throttle.reset();
  }

  /** Realism switches; returns the throttling configuration now in force. */
  configure(input: EmulatorConfigInput): { throttling: ThrottleConfig } {
    const { throttling, ...graphSwitches } = input;
    if (throttling !== undefined) this.throttle.configure(throttling);
    if (Object.keys(graphSwitches).length > 0) {
      if (!this.graphApi.configure) {
        throw new Error(
          `These Graph handlers have no switches (${Object.keys(graphSwitches).join(", ")}).`,
        );
      }
      this.graphApi.configure(graphSwitches);
    }
    return { throttling: this.throttle.current() };
  }

  /** The registration campaign running for simulated days (`POST /_emulator/simulate`). */
  simulate(parameters: Record<string, unknown>): unknown {
    if (!this.graphApi.simulate)
      throw new Error("These Graph handlers cannot simulate the campaign.");
    return this.graphApi.simulate(parameters);
  }

  /** Passkeys by default, as Microsoft applied it on 2026-09-01 (`POST /_emulator/microsoft-migration`). */
  microsoftMigration(parameters: Record<string, unknown>): unknown {
    if (!this.graphApi.microsoftMigration)
      throw new Error("These Graph handlers cannot run Microsoft's migration.");
    return this.graphApi.microsoftMigration(parameters);
  }

  /** Whom the campaign would prompt if everyone signed in with MFA now (`POST /_emulator/prompts`). */
  forecastPrompts(parameters: Record<string, unknown>): unknown {
    if (!this.graphApi.forecastPrompts)
      throw new Error("These Graph handlers cannot forecast the campaign's prompts.");
    return this.graphApi.forecastPrompts(parameters);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- dispatch ----------------------------------------------------------------------------

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = new Date().toISOString();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? "" : rawUrl.slice(q + 1);
    const segments = rawPath.split("/").filter((s) => s !== "");
    const first = segments[0] ?? "";
    const method = (req.method ?? "GET").toUpperCase();

    if (first === "_emulator") return this.control(req, res, segments.slice(1), method);
    if (first === "v1.0" || first === "beta") {
      return this.graph(req, res, first, rawPath, rawQuery, segments.slice(1), method, time);
    }
    return this.identityEndpoint(req, res, segments, rawPath, rawQuery, method, time);
  }

  /** Last resort: something threw outside the per-call handling. Answer 500 if still possible. */
  private crashed(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    process.stderr.write(
      `emulator: unexpected error on ${req.method} ${req.url}: ${describe(err)}\n`,
    );
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const requestId = randomUUID();
    const error = new GraphHttpError(500, "generalException", "An unspecified error has occurred.");
    this.send(res, 500, graphHeaders(requestId, requestId), errorEnvelope(error, requestId));
  }

  // ---- Graph -------------------------------------------------------------------------------

  private async graph(
    req: IncomingMessage,
    res: ServerResponse,
    version: GraphVersion,
    rawPath: string,
    rawQuery: string,
    segments: string[],
    method: string,
    time: string,
  ): Promise<void> {
    const headers = lowerCaseHeaders(req);
    const requestId = randomUUID();
    const clientRequestId = headers["client-request-id"] || requestId;
    const logPath = decodedPath(rawPath);
    const logEntry = (status: number, clientId: string | null): RequestLogEntry => ({
      method,
      path: logPath,
      status,
      clientId,
      time,
      ...(rawQuery ? { query: rawQuery } : {}),
      requestId,
    });
    const fail = (
      error: GraphHttpError,
      clientId: string | null,
      extra: Record<string, string> = {},
    ) => {
      this.record(logEntry(error.status, clientId));
      this.send(
        res,
        error.status,
        { ...graphHeaders(requestId, clientRequestId), ...extra, ...(error.options.headers ?? {}) },
        errorEnvelope(error, requestId, clientRequestId),
      );
    };

    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (err instanceof GraphHttpError) return fail(err, null);
      throw err;
    }

    const auth = this.identity.authenticate(headers.authorization);
    if (!auth.ok) {
      return fail(new GraphHttpError(401, "InvalidAuthenticationToken", auth.message), null, {
        "WWW-Authenticate": `Bearer realm="", authorization_uri="${this.origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
      });
    }
    const caller = auth.caller;
    const ctx: CallContext = {
      requestId,
      clientRequestId,
      time,
      caller,
      baseUrl: headers.host ? `https://${headers.host}` : this.origin,
    };

    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return fail(
          new GraphHttpError(
            400,
            "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
          ),
          caller.clientId,
        );
      }
    }

    let path: string;
    let pathSegments: string[];
    try {
      pathSegments = segments.map((s) => decodeURIComponent(s));
      path = "/" + pathSegments.join("/");
    } catch {
      return fail(
        new GraphHttpError(400, "BadRequest", "The request URI is not valid."),
        caller.clientId,
      );
    }

    if (pathSegments.length === 1 && pathSegments[0].toLowerCase() === "$batch") {
      if (method !== "POST") {
        return fail(
          new GraphHttpError(
            405,
            "Request_BadRequest",
            "Specified HTTP method is not allowed for the request target.",
          ),
          caller.clientId,
        );
      }
      return this.batch(req, res, version, body, ctx, logPath);
    }

    const outcome = await this.call(
      {
        method,
        version,
        path,
        segments: pathSegments,
        query: new URLSearchParams(rawQuery),
        headers,
        body,
        caller,
        baseUrl: ctx.baseUrl,
      },
      ctx,
      { logPath, rawQuery, batchEnvelope: false },
    );
    if (outcome === "reset") return resetConnection(req.socket);
    if (res.destroyed) return;
    this.send(
      res,
      outcome.status,
      { ...graphHeaders(requestId, clientRequestId), ...outcome.headers },
      outcome.body,
      outcome.answer,
    );
  }

  /**
   * One Graph call (a request or a $batch step): faults, throttling, the handler, the envelope.
   * Logs it. Resolves "reset" when a fault drops the connection.
   */
  private async call(
    req: GraphRequest,
    ctx: CallContext,
    where: { logPath: string; rawQuery: string; batchEnvelope: boolean },
  ): Promise<Outcome | "reset"> {
    const log = (status: number) =>
      this.record({
        method: req.method,
        path: where.logPath,
        status,
        clientId: ctx.caller.clientId,
        time: ctx.time,
        ...(where.rawQuery ? { query: where.rawQuery } : {}),
        ...(ctx.batchId ? { batchId: ctx.batchId } : {}),
        requestId: ctx.requestId,
        ...(this.graphApi.permissionRowOf
          ? { permissionRow: this.graphApi.permissionRowOf(req) }
          : {}),
      });
    const errorOutcome = (err: GraphHttpError, extra: Record<string, string> = {}): Outcome => ({
      status: err.status,
      headers: { ...extra, ...(err.options.headers ?? {}), "Content-Type": GRAPH_JSON },
      body: errorEnvelope(err, ctx.requestId, ctx.clientRequestId),
    });

    const fault = this.faults.match({
      method: req.method,
      path: where.logPath,
      graph: true,
      batchEnvelope: where.batchEnvelope,
    });
    if (fault) {
      const outcome = await this.applyFault(fault);
      if (outcome === "reset") {
        log(0);
        return "reset";
      }
      if (fault.error) {
        log(fault.error.status);
        return errorOutcome(fault.error);
      }
      if (fault.answer?.body !== undefined) {
        const status = fault.answer.status ?? 200;
        log(status);
        const type = fault.answer.contentType ?? GRAPH_JSON;
        return {
          status,
          headers: { "Content-Type": type },
          body: fault.answer.body,
          answer: fault.answer,
        };
      }
    }

    const decision = this.throttle.check({
      tenantId: ctx.caller.tenantId,
      clientId: ctx.caller.clientId,
      method: req.method,
      path: req.path,
      query: req.query,
    });
    if (!decision.ok) {
      log(429);
      return errorOutcome(decision.error);
    }

    let response: GraphResponse;
    try {
      response = await this.graphApi.handle(req);
    } catch (err) {
      if (err instanceof GraphHttpError) {
        log(err.status);
        return errorOutcome(err, decision.headers);
      }
      process.stderr.write(
        `emulator: handler error on ${req.method} ${where.logPath}: ${describe(err)}\n`,
      );
      const internal = new GraphHttpError(
        500,
        "generalException",
        "An unspecified error has occurred.",
      );
      log(500);
      return errorOutcome(internal);
    }
    log(response.status);
    const headers: Record<string, string> = {
      ...decision.headers,
      ...(response.body !== undefined && response.status !== 204
        ? { "Content-Type": GRAPH_JSON }
        : {}),
      ...(response.headers ?? {}),
    };
    let responseBody = response.status === 204 ? undefined : response.body;
    const answer = fault?.answer;
    if (answer?.padBytes && isPlainObject(responseBody)) {
      // An oversized answer: an annotation-like property clients must skip (OData ignores unknown
      // instance annotations).
      responseBody = { ...responseBody, "@emulator.padding": "x".repeat(answer.padBytes) };
    }
    if (answer?.contentType) headers["Content-Type"] = answer.contentType;
    return { status: response.status, headers, body: responseBody, ...(answer ? { answer } : {}) };
  }

  /** Waits out a fault's delay; "reset" when it drops the connection. */
  private async applyFault(fault: FaultAction): Promise<"reset" | undefined> {
    if (fault.delayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, fault.delayMs);
        this.timers.add(timer);
      });
    }
    return fault.reset ? "reset" : undefined;
  }

  private async batch(
    req: IncomingMessage,
    res: ServerResponse,
    version: GraphVersion,
    body: unknown,
    ctx: CallContext,
    logPath: string,
  ): Promise<void> {
    const respondError = (err: GraphHttpError) => {
      this.record({
        method: "POST",
        path: logPath,
        status: err.status,
        clientId: ctx.caller.clientId,
        time: ctx.time,
        requestId: ctx.requestId,
      });
      this.send(
        res,
        err.status,
        { ...graphHeaders(ctx.requestId, ctx.clientRequestId), ...(err.options.headers ?? {}) },
        errorEnvelope(err, ctx.requestId, ctx.clientRequestId),
      );
    };

    // The $batch POST itself meets faults only when a fault names it (faults.ts).
    const envelopeFault = this.faults.match({
      method: "POST",
      path: logPath,
      graph: true,
      batchEnvelope: true,
    });
    if (envelopeFault) {
      if ((await this.applyFault(envelopeFault)) === "reset") return resetConnection(req.socket);
      if (envelopeFault.error) return respondError(envelopeFault.error);
    }
    const envelopeAnswer = envelopeFault?.answer;
    if (envelopeAnswer?.body !== undefined) {
      const status = envelopeAnswer.status ?? 200;
      this.record({
        method: "POST",
        path: logPath,
        status,
        clientId: ctx.caller.clientId,
        time: ctx.time,
        requestId: ctx.requestId,
      });
      const type = envelopeAnswer.contentType ?? GRAPH_JSON;
      const headers = { ...graphHeaders(ctx.requestId, ctx.clientRequestId), "Content-Type": type };
      return this.send(res, status, headers, envelopeAnswer.body, envelopeAnswer);
    }

    let steps: BatchStep[];
    try {
      steps = parseBatch(body);
    } catch (err) {
      if (err instanceof GraphHttpError) return respondError(err);
      throw err;
    }

    const runStep = async (step: BatchStep): Promise<BatchStepResult> => {
      const stepRequestId = randomUUID();
      const stepCtx: CallContext = {
        ...ctx,
        requestId: stepRequestId,
        clientRequestId: step.headers["client-request-id"] || ctx.clientRequestId,
        batchId: ctx.requestId,
      };
      const segments = step.rawPath.split("/").filter((s) => s !== "");
      let decoded: string[];
      try {
        decoded = segments.map((s) => decodeURIComponent(s));
      } catch {
        return {
          id: step.id,
          status: 400,
          headers: { "Content-Type": GRAPH_JSON },
          body: errorEnvelope(
            new GraphHttpError(400, "BadRequest", "The request URI is not valid."),
            stepRequestId,
            stepCtx.clientRequestId,
          ),
        };
      }
      const path = "/" + decoded.join("/");
      const outcome = await this.call(
        {
          method: step.method,
          version,
          path,
          segments: decoded,
          query: step.query,
          // The step's own headers, with the outer request's credentials.
          headers: { ...step.headers, authorization: lowerCaseHeaders(req).authorization ?? "" },
          body: step.body,
          caller: ctx.caller,
          baseUrl: ctx.baseUrl,
        },
        stepCtx,
        { logPath: `/${version}${path}`, rawQuery: step.rawQuery, batchEnvelope: false },
      );
      if (outcome === "reset") throw new ConnectionReset();
      // A fault's raw body inside a batch: embedded as JSON when it parses, else as a string.
      const stepBody =
        outcome.answer?.body !== undefined ? parseOrText(outcome.answer.body) : outcome.body;
      return {
        id: step.id,
        status: outcome.status,
        headers: { "Cache-Control": "no-cache", "OData-Version": "4.0", ...outcome.headers },
        ...(stepBody !== undefined ? { body: stepBody } : {}),
      };
    };

    let results: BatchStepResult[];
    try {
      results = await executeBatch(steps, runStep);
    } catch (err) {
      if (err instanceof ConnectionReset) {
        this.record({
          method: "POST",
          path: logPath,
          status: 0,
          clientId: ctx.caller.clientId,
          time: ctx.time,
          requestId: ctx.requestId,
        });
        return resetConnection(req.socket);
      }
      throw err;
    }
    this.record({
      method: "POST",
      path: logPath,
      status: 200,
      clientId: ctx.caller.clientId,
      time: ctx.time,
      requestId: ctx.requestId,
    });
    if (res.destroyed) return;
    const envelopeBody =
      envelopeAnswer?.padBytes !== undefined
        ? { responses: results, "@emulator.padding": "x".repeat(envelopeAnswer.padBytes) }
        : { responses: results };
    this.send(
      res,
      200,
      {
        ...graphHeaders(ctx.requestId, ctx.clientRequestId),
        "Content-Type": envelopeAnswer?.contentType ?? GRAPH_JSON,
      },
      envelopeBody,
      envelopeAnswer,
    );
  }

  // ---- identity ----------------------------------------------------------------------------

  private async identityEndpoint(
    req: IncomingMessage,
    res: ServerResponse,
    segments: string[],
    rawPath: string,
    rawQuery: string,
    method: string,
    time: string,
  ): Promise<void> {
    const logPath = decodedPath(rawPath);
    const headers = lowerCaseHeaders(req);
    const raw = await readBody(req).catch(() => Buffer.alloc(0));
    const respond = (r: IdentityResponse) => {
      this.record({
        method,
        path: logPath,
        status: r.status,
        clientId: r.clientId ?? null,
        time,
        ...(rawQuery ? { query: rawQuery } : {}),
      });
      this.send(res, r.status, r.headers, r.body);
    };
    const [tenant, ...rest] = segments;
    const route = rest.join("/").toLowerCase();

    let handler: (() => Promise<IdentityResponse> | IdentityResponse) | undefined;
    let postOnly = false;
    if (tenant?.toLowerCase() === "common" && route === "discovery/instance") {
      handler = () => this.identity.instanceDiscovery();
    } else if (route === "v2.0/.well-known/openid-configuration") {
      handler = () => this.identity.openIdConfiguration(tenant, true);
    } else if (route === ".well-known/openid-configuration") {
      handler = () => this.identity.openIdConfiguration(tenant, false);
    } else if (route === "discovery/v2.0/keys" || route === "discovery/keys") {
      handler = () => this.identity.jwks();
    } else if (route === "oauth2/v2.0/token") {
      postOnly = true;
      handler = () => {
        const form = /x-www-form-urlencoded/i.test(headers["content-type"] ?? "")
          ? new URLSearchParams(raw.toString("utf8"))
          : new URLSearchParams();
        return this.identity.token(tenant, form, headers);
      };
    }

    if (!handler) {
      // Graph's answer for an unknown version segment; these paths are neither Graph nor Entra.
      const requestId = randomUUID();
      const error = new GraphHttpError(400, "BadRequest", `Invalid version: ${segments[0] ?? ""}`);
      this.record({ method, path: logPath, status: 400, clientId: null, time });
      this.send(res, 400, graphHeaders(requestId, requestId), errorEnvelope(error, requestId));
      return;
    }
    const correlationId = headers["client-request-id"];
    if (postOnly && method !== "POST") {
      const notPost = new EstsError(
        400,
        "invalid_request",
        900561,
        `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
      );
      return respond(this.identity.errorResponse(notPost, correlationId));
    }
    if (!postOnly && method !== "GET") {
      return respond({ status: 405, headers: { allow: "GET" }, body: undefined });
    }
    const fault = this.faults.match({ method, path: logPath, graph: false, batchEnvelope: false });
    if (fault) {
      if ((await this.applyFault(fault)) === "reset") {
        this.record({ method, path: logPath, status: 0, clientId: null, time });
        return resetConnection(req.socket);
      }
      if (fault.status !== undefined) {
        const r = this.identity.faultResponse(fault.status, correlationId);
        if (fault.error?.options.headers) Object.assign(r.headers, fault.error.options.headers);
        return respond(r);
      }
    }
    respond(await handler());
  }

  // ---- control -----------------------------------------------------------------------------

  private async control(
    req: IncomingMessage,
    res: ServerResponse,
    segments: string[],
    method: string,
  ): Promise<void> {
    const json = (status: number, body?: unknown) =>
      this.send(
        res,
        status,
        { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
        body,
      );
    const bad = (status: number, message: string) =>
      json(status, { error: { code: status === 404 ? "NotFound" : "BadRequest", message } });
    if (!isLoopback(req.socket.remoteAddress)) {
      return bad(403, "The control endpoints answer loopback clients only.");
    }
    const route = segments.join("/");
    let body: Record<string, unknown> = {};
    const raw = await readBody(req);
    if (raw.length > 0) {
      try {
        const parsed = JSON.parse(raw.toString("utf8")) as unknown;
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          return bad(400, "The body must be a JSON object.");
        }
        body = parsed as Record<string, unknown>;
      } catch {
        return bad(400, "The body is not valid JSON.");
      }
    }

    try {
      if (route === "requests" && method === "GET") return json(200, this.requests());
      if (route === "requests" && method === "DELETE") {
        this.clearRequests();
        return json(204);
      }
      if (route === "faults" && method === "GET") return json(200, { faults: this.faults.list() });
      if (route === "faults" && (method === "POST" || method === "DELETE")) {
        this.faults.add(method === "DELETE" ? { clear: true } : (body as FaultSpec));
        return json(200, { faults: this.faults.list() });
      }
      if (route === "reset" && method === "POST") {
        this.reset();
        return json(204);
      }
      if (route === "config" && method === "POST") return json(200, this.configure(body));
      if (route === "simulate" && method === "POST") return json(200, this.simulate(body));
      if (route === "prompts" && method === "POST") return json(200, this.forecastPrompts(body));
      if (route === "microsoft-migration" && method === "POST")
        return json(200, this.microsoftMigration(body));
      if (route === "config" && method === "GET")
        return json(200, { throttling: this.throttle.current() });
      if (route === "oidc/.well-known/openid-configuration" && method === "GET") {
        const r = this.identity.federationDiscovery();
        return this.send(res, r.status, r.headers, r.body);
      }
      if (route === "oidc/keys" && method === "GET") {
        const r = await this.identity.federationJwks();
        return this.send(res, r.status, r.headers, r.body);
      }
      if (route === "federatedTokens" && method === "POST") {
        if (typeof body.subject !== "string" || !body.subject) {
          return bad(400, 'A federated token needs a "subject".');
        }
        return json(
          200,
          await this.identity.mintFederatedToken({
            subject: body.subject,
            audience: typeof body.audience === "string" ? body.audience : undefined,
            lifetimeSeconds:
              typeof body.lifetimeSeconds === "number" ? body.lifetimeSeconds : undefined,
          }),
        );
      }
      const appRoute = /^apps\/([^/]+)\/(certificates|federatedCredentials)$/.exec(route);
      if (appRoute && method === "POST") {
        const app = decodeURIComponent(appRoute[1]);
        if (appRoute[2] === "federatedCredentials") {
          return json(
            201,
            this.identity.addFederatedCredential(app, body as unknown as FederatedCredentialInput),
          );
        }
        if (typeof body.certificate === "string") {
          return json(201, this.identity.addCertificate(app, body.certificate));
        }
        // No certificate given: make one, register it, and hand the caller its key.
        const made = await createClientCertificate({ commonName: `${app}-emulator` });
        const registered = this.identity.addCertificate(app, made.certificatePem);
        return json(201, {
          ...registered,
          certificate: made.certificatePem,
          privateKey: made.privateKeyPem,
          pem: made.pem,
        });
      }
      if (route === "info" && method === "GET") {
        return json(200, { origin: this.origin, tenantId: this.graphApi.tenantId });
      }
    } catch (err) {
      return bad(400, err instanceof Error ? err.message : String(err));
    }
    return bad(404, `No control endpoint ${method} /_emulator/${route}.`);
  }

  // ---- plumbing ----------------------------------------------------------------------------

  private record(entry: RequestLogEntry): void {
    if (this.log.length >= MAX_LOG_ENTRIES)
      this.log.splice(0, this.log.length - MAX_LOG_ENTRIES + 1);
    this.log.push(entry);
    this.options.onRequest?.(entry);
  }

  private send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: unknown,
    answer?: FaultAnswer,
  ): void {
    if (res.destroyed || res.headersSent) return;
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // Text bodies (e.g. `/$count` as text/plain) go as they are; everything else is JSON. A
    // fault's raw body goes as it is, whatever its Content-Type claims.
    const text =
      typeof body === "string" &&
      (answer?.body !== undefined || !/json/i.test(String(res.getHeader("Content-Type"))));
    const payload =
      body === undefined || status === 204 || status === 304
        ? undefined
        : Buffer.from(text ? (body as string) : JSON.stringify(body));
    if (payload && answer?.truncateBytes !== undefined && answer.truncateBytes < payload.length) {
      // Announce the whole length, send a part, drop the connection: a body cut off in transit.
      res.setHeader("Content-Length", payload.length);
      res.write(payload.subarray(0, answer.truncateBytes), () =>
        resetConnection(res.socket as Socket),
      );
      return;
    }
    if (payload) res.setHeader("Content-Length", payload.length);
    else {
      res.removeHeader("Content-Type");
      if (status !== 204 && status !== 304) res.setHeader("Content-Length", 0);
    }
    res.end(payload);
  }
}

function graphHeaders(requestId: string, clientRequestId: string): Record<string, string> {
  return {
    "Cache-Control": "no-cache",
    "Content-Type": GRAPH_JSON,
    "OData-Version": "4.0",
    "request-id": requestId,
    "client-request-id": clientRequestId,
    "x-ms-ags-diagnostic": AGS_DIAGNOSTIC,
    "Strict-Transport-Security": "max-age=31536000",
  };
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function decodedPath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new GraphHttpError(413, "RequestEntityTooLarge", "The request body is too large."));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** Drops the connection abruptly (a TCP reset where the platform allows), as a failing hop would. */
function resetConnection(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
