// Helpers for tests that call the resource providers' methods directly (no engine).
import { expect } from "chai";
import type { RunningEmulator } from "../../emulator/index.js";
import { resolveSettings } from "../../provider/config";
import { GraphClient } from "../../provider/graph";
import { provider, setConfig, setWarningSink } from "../../provider/resources/providers";

export type Props = Record<string, unknown>;
/** A provider error as the engine reads it: `id` and `properties` record a partial result. */
export type RecordedError = Error & { id?: string; properties?: Props };

/** check() of the given kind, expected to pass: the canonical inputs. */
export async function checked(kind: Parameters<typeof provider>[0], args: Props): Promise<Props> {
  const result = await provider(kind).check!({}, args);
  expect(result.failures ?? [], JSON.stringify(result.failures)).to.deep.equal([]);
  return result.inputs as Props;
}

/** The error a call fails with; fails the test when it succeeds. */
export async function failure(p: Promise<unknown>): Promise<RecordedError> {
  try {
    await p;
  } catch (e) {
    return e as RecordedError;
  }
  throw new Error("expected the call to fail");
}

export interface ProviderTestContext {
  /** The test's own client, to look at the tenant (its calls meet the same faults). */
  graph: GraphClient;
  /** The providers' warnings in this test. */
  warnings: string[];
  /** Points the providers at the emulator's writer: no retries unless asked (one fault fails a write). */
  configure(extra?: Record<string, string>): void;
}

/** Mocha hooks for provider tests: configured before each test, the warning sink restored after. */
export function useProviders(emulator: RunningEmulator): ProviderTestContext {
  const context: ProviderTestContext = {
    graph: undefined as unknown as GraphClient,
    warnings: [],
    configure(extra = {}) {
      setConfig(() => undefined, {
        ...emulator.env("writer"),
        ENTRA_NUDGE_RETRY_DELAY_SECONDS: "0",
        ENTRA_NUDGE_MAX_RETRIES: "0",
        ...extra,
      });
    },
  };
  beforeEach(() => {
    context.configure();
    context.graph = new GraphClient(
      resolveSettings(() => undefined, emulator.env("writer")),
      { retryDelaySeconds: 0 },
    );
    context.warnings = [];
    setWarningSink((message) => context.warnings.push(message));
  });
  after(() => setWarningSink(undefined));
  return context;
}
