// What the Node dynamic-provider host (@pulumi/pulumi cmd/dynamic-provider) does around the
// providers' methods, corrected in its process for the user's sake:
//
// - The resource's URN. The engine sends it with every call (CheckRequest.urn, ReadRequest.urn,
//   ...), but the host passes the methods only the properties (pulumi/pulumi#9434: "URN is not
//   available in dynamic providers"), so warnings sent to the engine's Log RPC without one land on
//   `pulumi:pulumi:Stack`. The host reads each request's properties through the generated
//   request classes (`req.getNews().toJavaScript()`, `req.getProperties()...`), looked up on their
//   prototypes at call time: wrapped, they tag the object they hand over with the request's URN.
//   Limit: this module loads during the process's first call, after that call's properties were
//   read, so that one call (usually a Check, which warns about nothing) has no URN.
// - Errors once. For check, diff, read and delete the host prints `${e}: ${e.stack}` to stderr
//   before failing the call, and the engine shows stderr and then the error again: a sign-in
//   refusal appeared twice, the second time with a stack trace. The host's print of an error these
//   methods throw on purpose (a sentence for the user) is dropped; a programming error (TypeError
//   and the like) keeps its stack.
import { AsyncLocalStorage } from "node:async_hooks";

const URN = Symbol.for("pulumi-entra-nudge.urn");
const PATCHED = Symbol.for("pulumi-entra-nudge.urnCapture");

interface CallContext {
  urn?: string;
}

const calls = new AsyncLocalStorage<CallContext>();

/** The URN of the resource whose provider call is running (undefined outside one, or unknown). */
export function currentUrn(): string | undefined {
  return calls.getStore()?.urn;
}

/** The URN the wrapped request classes attached to properties the host handed over. */
export function urnOf(properties: unknown): string | undefined {
  if (typeof properties !== "object" || properties === null) return undefined;
  const urn = (properties as Record<symbol, unknown>)[URN];
  return typeof urn === "string" && urn !== "" ? urn : undefined;
}

/** Runs one provider call with its URN known to warn(). */
export function withUrn<T>(urn: string | undefined, run: () => Promise<T>): Promise<T> {
  return calls.run({ urn }, run);
}

interface StructLike {
  toJavaScript(): unknown;
}
interface RequestLike {
  getUrn(): string;
}
type RequestClass = { prototype: Record<string, unknown> };

/**
 * Wraps the getters of the provider requests' property structs so that the object each
 * toJavaScript() returns carries the request's URN (a non-enumerable symbol: never serialized,
 * never compared). Idempotent; without the generated classes (another @pulumi/pulumi copy) it does
 * nothing.
 */
export function captureUrns(proto: Record<string, unknown> = loadProviderProto() ?? {}): void {
  const getters: Record<string, string[]> = {
    CheckRequest: ["getNews", "getOlds"],
    DiffRequest: ["getNews", "getOlds"],
    CreateRequest: ["getProperties"],
    ReadRequest: ["getProperties", "getInputs"],
    UpdateRequest: ["getNews", "getOlds"],
    DeleteRequest: ["getProperties"],
  };
  for (const [name, methods] of Object.entries(getters)) {
    const cls = proto[name] as RequestClass | undefined;
    if (!cls?.prototype || cls.prototype[PATCHED as unknown as string]) continue;
    Object.defineProperty(cls.prototype, PATCHED, { value: true });
    for (const method of methods) {
      const original = cls.prototype[method];
      if (typeof original !== "function") continue;
      cls.prototype[method] = function (this: RequestLike) {
        const struct = (original as () => StructLike | undefined).call(this);
        if (!struct || typeof struct.toJavaScript !== "function") return struct;
        const urn = this.getUrn();
        const toJavaScript = struct.toJavaScript;
        struct.toJavaScript = function () {
          const value = toJavaScript.call(this);
          if (typeof value === "object" && value !== null) {
            Object.defineProperty(value, URN, { value: urn, enumerable: false });
          }
          return value;
        };
        return struct;
      };
    }
  }
}

function loadProviderProto(): Record<string, unknown> | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only in the provider process
    return require("@pulumi/pulumi/proto/provider_pb") as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

// ---- errors printed once ----

const PROGRAMMING_ERRORS = new Set(["TypeError", "ReferenceError", "RangeError", "SyntaxError"]);
/** The exact lines the host is about to print for errors thrown on purpose. */
const expectedPrints = new Set<string>();

/** Notes an error a provider method is about to throw, so the host's stderr copy is dropped. */
export function thrownOnPurpose(error: unknown): void {
  if (!(error instanceof Error) || PROGRAMMING_ERRORS.has(error.name)) return;
  expectedPrints.add(`${String(error)}: ${error.stack}`);
}

/**
 * In the provider process: drops the host's stderr print of an error noted by thrownOnPurpose (the
 * engine shows the error itself, once). Anything else is printed as before.
 */
export function printErrorsOnce(target: Pick<Console, "error"> = console): void {
  const original = target.error.bind(target);
  target.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && expectedPrints.delete(args[0])) return;
    original(...args);
  };
}
