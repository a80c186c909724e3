// Runs a Pulumi program against `pulumi.runtime.setMocks` to check its wiring: which resources it
// registers, with which type tokens and inputs. Mocks never run provider code; the providers are
// tested directly and through the real engine.
//
// Isolation: setMocks writes the mock monitor, options and feature flags into the runtime's store,
// and config lives there too. Called at top level, that is the process-wide global store, which
// would then hold a stale mock for every later test in this mocha process. So each program runs in
// a store of its own, with the same per-run AsyncLocalStorage store the Automation API gives every
// inline program (`withLocalStorage`, as automation/server.js does), and is disconnected at the
// end, which also drops the mock monitor that setMocks keeps in a module variable.
import * as pulumi from "@pulumi/pulumi";

export interface RegisteredResource {
  /** The type token, e.g. `pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign`. */
  type: string;
  name: string;
  /** The inputs as the engine receives them, all values resolved. */
  inputs: Record<string, unknown>;
}

export interface Invocation {
  token: string;
  inputs: Record<string, unknown>;
}

export interface MockedRun<T> {
  result: T;
  resources: RegisteredResource[];
  invocations: Invocation[];
}

/** What a fake cloud answers for one resource type or one function. */
export interface FakeCloud {
  /** By type token: the id and the outputs beyond the inputs (which are echoed back). */
  resources?: Record<string, (name: string, inputs: Record<string, unknown>) => FakeResource>;
  /** By function token: the result. */
  functions?: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>;
}

export interface FakeResource {
  id: string;
  outputs?: Record<string, unknown>;
}

export interface MockedRunOptions {
  /** The project name, which is also the namespace of unqualified config keys. */
  project: string;
  /** Stack config; keys without a namespace belong to the project. */
  config?: Record<string, string>;
  cloud?: FakeCloud;
}

interface RuntimeState {
  withLocalStorage<T>(callback: () => Promise<T>): Promise<T>;
}

// The SDK's per-run store is internal (no typings), hence the narrow interface and the check.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module, no typings
const runtimeState = require("@pulumi/pulumi/runtime/state") as Partial<RuntimeState>;

/** Runs `program` under mocks in a runtime store of its own, after every registration settled. */
export async function runMocked<T>(
  program: () => T | Promise<T>,
  options: MockedRunOptions,
): Promise<MockedRun<T>> {
  const { withLocalStorage } = runtimeState;
  if (typeof withLocalStorage !== "function") {
    throw new Error(
      "@pulumi/pulumi/runtime/state no longer exports withLocalStorage: the wiring tests cannot " +
        "keep their mocks out of the process-wide runtime store. Isolate them another way.",
    );
  }
  const resources: RegisteredResource[] = [];
  const invocations: Invocation[] = [];
  const cloud = options.cloud ?? {};
  const mocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
      const inputs = args.inputs as Record<string, unknown>;
      resources.push({ type: args.type, name: args.name, inputs });
      const fake = cloud.resources?.[args.type]?.(args.name, inputs) ?? {
        id: `${args.name}-id`,
      };
      return { id: fake.id, state: { ...inputs, ...fake.outputs } };
    },
    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
      const inputs = args.inputs as Record<string, unknown>;
      invocations.push({ token: args.token, inputs });
      const fake = cloud.functions?.[args.token];
      if (fake === undefined) throw new Error(`The fake cloud has no function ${args.token}.`);
      return fake(inputs);
    },
  };

  return withLocalStorage(async () => {
    await pulumi.runtime.setMocks(mocks, options.project, "test", false);
    pulumi.runtime.setAllConfig(namespaced(options.project, options.config ?? {}), []);
    try {
      const result = await program();
      return { result, resources, invocations };
    } finally {
      // Waits for every pending registration, then closes (and forgets) the mock monitor.
      await pulumi.runtime.disconnect();
    }
  });
}

function namespaced(project: string, config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key.includes(":") ? key : `${project}:${key}`,
      value,
    ]),
  );
}

/** The resolved value of an output (mocks resolve every value, none stays unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** The resources registered with `type`, by name. */
export function registered(run: MockedRun<unknown>, type: string): RegisteredResource[] {
  return run.resources.filter((resource) => resource.type === type);
}

/** The one resource registered with `type`; fails when there are none or several. */
export function onlyOne(run: MockedRun<unknown>, type: string): RegisteredResource {
  const found = registered(run, type);
  if (found.length !== 1) {
    const names = found.map((resource) => resource.name).join(", ") || "none";
    throw new Error(`Expected exactly one ${type}, found ${found.length}: ${names}.`);
  }
  return found[0];
}

export const TYPES = {
  campaign: "pulumi-nodejs:dynamic/entra-nudge:RegistrationCampaign",
  authenticator: "pulumi-nodejs:dynamic/entra-nudge:AuthenticatorPolicy",
  pilotGroup: "pulumi-nodejs:dynamic/entra-nudge:PilotGroup",
  azureadGroup: "azuread:index/group:Group",
  azureadGetGroup: "azuread:index/getGroup:getGroup",
} as const;

/** The inputs the program registers (the canonical form of what it declares), without the serialized provider. */
export function declaredInputs(resource: RegisteredResource): Record<string, unknown> {
  const { __provider: provider, ...declared } = resource.inputs;
  if (resource.type.startsWith("pulumi-nodejs:dynamic/") && typeof provider !== "string") {
    throw new Error(`${resource.name} has no serialized provider (__provider).`);
  }
  return declared;
}

/** Loads a compiled module anew, so that a program's top level runs again (e.g. index.ts). */
export function loadFresh<T>(modulePath: string): T {
  const resolved = require.resolve(modulePath);
  delete require.cache[resolved];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- re-running a module's top level
  return require(resolved) as T;
}
