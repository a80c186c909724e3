// Checks on what Graph answered, before the model reads it: the properties this tool relies on
// must have the types Graph's schema gives them (graph-contract.md §1–§4). A value of the wrong
// type (a number sent as a string, a string where an object belongs) would otherwise be read as a
// default and shown as drift, or crash. Unknown enum members are strings, so they pass: the model
// keeps them visible (types.ts) and only an explicit declaration overwrites them. Null collections
// are read as Graph's defaults, as the model has always read an absent one.
import { malformedResponse, type GraphRequestError } from "./errors";

type Kind = "string" | "integer" | "boolean" | "object" | "list";

/** Collects "property: what was found" sentences for one answer. */
class AnswerProblems {
  readonly problems: string[] = [];

  /** Checks `value` at `path`; absent or null passes when `optional`. True when it has the type. */
  expect(value: unknown, path: string, kind: Kind, optional = true): boolean {
    if (value === undefined || value === null) {
      if (optional) return false;
      this.problems.push(`${path} is ${value === null ? "null" : "missing"}, not ${article(kind)}`);
      return false;
    }
    if (kindOf(value) === kind || (kind === "integer" && Number.isInteger(value))) return true;
    this.problems.push(`${path} is ${describe(value)}, not ${article(kind)}`);
    return false;
  }

  /** A list of objects at `path`, each checked by `each`. */
  list(value: unknown, path: string, each: (item: Record<string, unknown>, at: string) => void) {
    if (!this.expect(value, path, "list")) return;
    (value as unknown[]).forEach((item, i) => {
      const at = `${path}[${i}]`;
      if (this.expect(item, at, "object", false)) each(item as Record<string, unknown>, at);
    });
  }

  throwIfAny(operation: string, request: string): void {
    if (this.problems.length === 0) return;
    throw unreadable(operation, request, this.problems);
  }
}

function kindOf(value: unknown): Kind | "number" {
  if (Array.isArray(value)) return "list";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as Kind;
}

function article(kind: Kind): string {
  return {
    string: "a string",
    integer: "a whole number",
    boolean: "true or false",
    object: "an object",
    list: "a list",
  }[kind];
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `${Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `the ${typeof value}`} ${shown}`;
}

/** The error for an answer whose properties do not have the types Graph documents. */
export function unreadable(
  operation: string,
  request: string,
  problems: string[],
): GraphRequestError {
  return malformedResponse(
    operation,
    request,
    `${problems.slice(0, 5).join("; ")}${problems.length > 5 ? `; and ${problems.length - 5} more` : ""}. Graph answered something this version of pulumi-entra-nudge does not understand`,
  );
}

function checkTarget(p: AnswerProblems, target: Record<string, unknown>, at: string): void {
  p.expect(target.id, `${at}.id`, "string", false);
  p.expect(target.targetType, `${at}.targetType`, "string");
}

/** GET /policies/authenticationMethodsPolicy: the registration campaign's part (§1, §2). */
export function checkPolicyAnswer(answer: unknown, operation: string, request: string): void {
  const p = new AnswerProblems();
  if (p.expect(answer, "the policy", "object", false)) {
    const enforcement = (answer as Record<string, unknown>).registrationEnforcement;
    if (p.expect(enforcement, "registrationEnforcement", "object")) {
      const base = "registrationEnforcement.authenticationMethodsRegistrationCampaign";
      const campaign = (enforcement as Record<string, unknown>)
        .authenticationMethodsRegistrationCampaign;
      if (p.expect(campaign, base, "object")) {
        const c = campaign as Record<string, unknown>;
        p.expect(c.state, `${base}.state`, "string");
        p.expect(c.snoozeDurationInDays, `${base}.snoozeDurationInDays`, "integer");
        p.expect(
          c.enforceRegistrationAfterAllowedSnoozes,
          `${base}.enforceRegistrationAfterAllowedSnoozes`,
          "boolean",
        );
        p.list(c.includeTargets, `${base}.includeTargets`, (target, at) => {
          checkTarget(p, target, at);
          p.expect(
            target.targetedAuthenticationMethod,
            `${at}.targetedAuthenticationMethod`,
            "string",
          );
        });
        p.list(c.excludeTargets, `${base}.excludeTargets`, (target, at) =>
          checkTarget(p, target, at),
        );
      }
    }
    const optOut = (answer as Record<string, unknown>).optOutSettings;
    if (p.expect(optOut, "optOutSettings", "object")) {
      p.expect(
        (optOut as Record<string, unknown>).passkeyDynamicMigration,
        "optOutSettings.passkeyDynamicMigration",
        "boolean",
      );
    }
  }
  p.throwIfAny(operation, request);
}

/** GET .../authenticationMethodConfigurations/MicrosoftAuthenticator (§3). */
export function checkAuthenticatorAnswer(
  answer: unknown,
  operation: string,
  request: string,
): void {
  const p = new AnswerProblems();
  if (p.expect(answer, "the configuration", "object", false)) {
    const c = answer as Record<string, unknown>;
    p.expect(c.state, "state", "string");
    p.expect(c.isSoftwareOathEnabled, "isSoftwareOathEnabled", "boolean");
    p.list(c.includeTargets, "includeTargets", (target, at) => {
      checkTarget(p, target, at);
      p.expect(target.authenticationMode, `${at}.authenticationMode`, "string");
      p.expect(target.isRegistrationRequired, `${at}.isRegistrationRequired`, "boolean");
    });
    p.list(c.excludeTargets, "excludeTargets", (target, at) => checkTarget(p, target, at));
    if (p.expect(c.featureSettings, "featureSettings", "object")) {
      for (const [name, setting] of Object.entries(c.featureSettings as Record<string, unknown>)) {
        if (name.includes("@")) continue; // OData annotations
        const at = `featureSettings.${name}`;
        if (!p.expect(setting, at, "object")) continue;
        const s = setting as Record<string, unknown>;
        p.expect(s.state, `${at}.state`, "string");
        for (const side of ["includeTarget", "excludeTarget"] as const) {
          if (p.expect(s[side], `${at}.${side}`, "object")) {
            const t = s[side] as Record<string, unknown>;
            p.expect(t.id, `${at}.${side}.id`, "string");
            p.expect(t.targetType, `${at}.${side}.targetType`, "string");
          }
        }
      }
    }
  }
  p.throwIfAny(operation, request);
}

/**
 * A directory object (a group, a user, a member): its id must be a string, and the names this tool
 * shows must be strings when present.
 */
export function checkDirectoryObjectAnswer(
  answer: unknown,
  operation: string,
  request: string,
  names: readonly string[] = ["displayName", "userPrincipalName", "mailNickname"],
): void {
  const p = new AnswerProblems();
  if (p.expect(answer, "the object", "object", false)) {
    const o = answer as Record<string, unknown>;
    p.expect(o.id, "id", "string", false);
    for (const name of names) p.expect(o[name], name, "string");
  }
  p.throwIfAny(operation, request);
}

/** GET .../authenticationMethodConfigurations/fido2 (graph-contract-passkeys.md §4). */
export function checkFido2Answer(answer: unknown, operation: string, request: string): void {
  const p = new AnswerProblems();
  if (p.expect(answer, "the configuration", "object", false)) {
    const c = answer as Record<string, unknown>;
    p.expect(c.state, "state", "string");
    p.expect(c.isSelfServiceRegistrationAllowed, "isSelfServiceRegistrationAllowed", "boolean");
    p.expect(c.defaultPasskeyProfile, "defaultPasskeyProfile", "string");
    p.list(c.passkeyProfiles, "passkeyProfiles", (profile, at) => {
      p.expect(profile.id, `${at}.id`, "string", false);
      p.expect(profile.name, `${at}.name`, "string");
      p.expect(profile.passkeyTypes, `${at}.passkeyTypes`, "string");
      p.expect(profile.attestationEnforcement, `${at}.attestationEnforcement`, "string");
    });
    p.list(c.includeTargets, "includeTargets", (target, at) => {
      checkTarget(p, target, at);
      p.expect(target.isRegistrationRequired, `${at}.isRegistrationRequired`, "boolean");
      p.expect(target.allowedPasskeyProfiles, `${at}.allowedPasskeyProfiles`, "list");
    });
    p.list(c.excludeTargets, "excludeTargets", (target, at) => checkTarget(p, target, at));
  }
  p.throwIfAny(operation, request);
}
