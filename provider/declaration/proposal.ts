// A proposed configuration instead of a stack (`impact --declaration FILE`): `{ "campaign": {...},
// "authenticator": {...}, "passkey": {...}, "breakGlassGroups": [...] }` with the resources'
// arguments (all optional), or a `pulumi stack export` file. Read into the same Declaration as a
// stack, checked with the resources' own rules, errors naming the key and the fix.
import {
  BREAK_GLASS_ENVIRONMENT,
  InputValidationError,
  isRecord,
  parseArgs,
  type ResourceKind,
} from "../model";
import { ReportError } from "../errors";
import { resourcesOfState } from "../stack";
import {
  breakGlassFrom,
  readDeclarationFile,
  withoutStack,
  type Declaration,
  type DeclaredResource,
} from "./read";

const KEYS = {
  campaign: "RegistrationCampaign",
  authenticator: "AuthenticatorPolicy",
  passkey: "PasskeyPolicy",
} as const satisfies Record<string, ResourceKind>;

const HINT =
  'Give a JSON file such as { "campaign": { "state": "enabled" } }, or one written by `pulumi stack export --file FILE`.';

/** Reads a proposed configuration (or a state export) from a file. */
export function declarationFromProposalFile(
  file: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Declaration {
  const label = `--declaration ${file}`;
  const { absolute, text } = readDeclarationFile(file, cwd, label, HINT);
  const name = `file ${file}`;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new ReportError("input", `${label} cannot be read as JSON: ${(err as Error).message}`);
  }
  if (!isRecord(document)) {
    throw new ReportError(
      "input",
      `${label} must be a JSON object such as { "campaign": { "state": "enabled" }, "authenticator": { "state": "enabled" }, "passkey": { "state": "enabled" } }.`,
    );
  }
  if ("deployment" in document) {
    return withoutStack({ file: absolute }, name, resourcesOfState(document), env);
  }
  const unknown = Object.keys(document).filter(
    (key) => !["campaign", "authenticator", "passkey", "breakGlassGroups"].includes(key),
  );
  if (unknown.length > 0) {
    throw new ReportError(
      "input",
      `${label}: unknown key(s) ${unknown.join(", ")}. Use "campaign" (RegistrationCampaign arguments), "authenticator" (AuthenticatorPolicy arguments), "passkey" (PasskeyPolicy arguments) and "breakGlassGroups" (group ids).`,
    );
  }
  const resources: DeclaredResource[] = [];
  for (const [key, kind] of Object.entries(KEYS)) {
    const raw = document[key];
    if (raw === undefined) continue;
    let declared;
    try {
      declared = parseArgs(kind, raw);
    } catch (err) {
      if (err instanceof InputValidationError)
        throw new ReportError("input", `${label}: ${err.message}`);
      throw err;
    }
    resources.push({
      kind,
      urn: `${name}#${key}`,
      name: key,
      id: "",
      inputs: declared as unknown as Record<string, unknown>,
      outputs: {},
      declared,
    });
  }
  const breakGlass = document.breakGlassGroups;
  return {
    source: { file: absolute },
    name,
    resources,
    config: () => undefined,
    breakGlassGroups:
      breakGlass === undefined
        ? breakGlassFrom(env[BREAK_GLASS_ENVIRONMENT], BREAK_GLASS_ENVIRONMENT)
        : breakGlassFrom(JSON.stringify(breakGlass), `${label} breakGlassGroups`),
  };
}
