// The per-kind entry points a dynamic provider calls: check() validates and normalizes (unknown
// values pass through during preview), create()/update() parse inputs that must be complete.
import {
  normalizeAuthenticatorArgs,
  validateAuthenticatorArgs,
  type AuthenticatorLike,
} from "./authenticator";
import { normalizeCampaignArgs, validateCampaignArgs, type CampaignLike } from "./campaign";
import { containsUnknown } from "./ids";
import { normalizePasskeyArgs, validatePasskeyArgs, type PasskeyLike } from "./passkey";
import { normalizePilotGroupArgs, validatePilotGroupArgs, type PilotGroupLike } from "./pilotGroup";
import type { InputsByKind, PreviewInputs, ResourceKind } from "./types";
import { InputValidationError, type ValidationProblem } from "./validation";

/** What each kind's normalizer accepts: declared args, canonical inputs, or settings read back. */
export interface LikeByKind {
  RegistrationCampaign: CampaignLike;
  AuthenticatorPolicy: AuthenticatorLike;
  PasskeyPolicy: PasskeyLike;
  PilotGroup: PilotGroupLike;
}

const VALIDATORS: { [K in ResourceKind]: (raw: unknown) => ValidationProblem[] } = {
  RegistrationCampaign: validateCampaignArgs,
  AuthenticatorPolicy: validateAuthenticatorArgs,
  PasskeyPolicy: validatePasskeyArgs,
  PilotGroup: validatePilotGroupArgs,
};

const NORMALIZERS: {
  [K in ResourceKind]: (args: LikeByKind[K]) => PreviewInputs<InputsByKind[K]>;
} = {
  RegistrationCampaign: normalizeCampaignArgs,
  AuthenticatorPolicy: normalizeAuthenticatorArgs,
  PasskeyPolicy: normalizePasskeyArgs,
  PilotGroup: normalizePilotGroupArgs,
};

export function validateArgs(kind: ResourceKind, raw: unknown): ValidationProblem[] {
  return VALIDATORS[kind](raw);
}

export function normalizeArgs<K extends ResourceKind>(
  kind: K,
  args: LikeByKind[K],
): PreviewInputs<InputsByKind[K]> {
  return NORMALIZERS[kind](args);
}

export type CheckOutcome<K extends ResourceKind> =
  | { ok: true; inputs: PreviewInputs<InputsByKind[K]>; problems: [] }
  | { ok: false; problems: ValidationProblem[] };

/**
 * check(): every problem at once, or the canonical inputs. Values unknown during preview are neither
 * validated nor rewritten, so a group created in the same program passes through.
 */
export function checkArgs<K extends ResourceKind>(kind: K, raw: unknown): CheckOutcome<K> {
  const problems = validateArgs(kind, raw);
  if (problems.length > 0) return { ok: false, problems };
  // Validation proved the shape.
  return { ok: true, inputs: normalizeArgs(kind, raw as LikeByKind[K]), problems: [] };
}

/**
 * create()/update(): canonical inputs that must hold no unknown value (the engine resolves them
 * before it applies anything). Throws InputValidationError listing every problem.
 */
export function parseArgs<K extends ResourceKind>(kind: K, raw: unknown): InputsByKind[K] {
  const outcome = checkArgs(kind, raw);
  if (!outcome.ok) throw new InputValidationError(kind, outcome.problems);
  if (containsUnknown(outcome.inputs)) {
    throw new Error(
      `${kind} inputs still hold a value unknown until apply; they can be applied only once the engine has resolved it.`,
    );
  }
  // No unknown value remains, so the preview type is the complete type.
  return outcome.inputs as unknown as InputsByKind[K];
}
