// `entra-nudge export`: reads the tenant's campaign, Microsoft Authenticator and passkey (FIDO2)
// configurations the way the resources read them (provider/live, the providers' own reads) and
// writes a ready-to-run Pulumi TypeScript project that declares them. Only reads Graph: Policy.Read.AuthenticationMethod, plus
// GroupMember.Read.All and User.Read.All for the names in comments.
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveCloud } from "../model/cloud";
import type { GraphSettings } from "../config";
import { readAuthenticator, readCampaign, readPasskey } from "../live";
import { passkeyGraphVersion } from "../model";
import type { Session } from "../session";
import { declarationOf, type ExportedDeclaration } from "./declaration";
import { lookUpLabels, type ObjectLabels } from "./names";
import { renderProject, type ExportProject } from "./render";

export {
  declarationOf,
  EXPORTED_ON_DELETE,
  passkeyDeclaration,
  UndeclarableSettingsError,
} from "./declaration";
export { describeTargetId, lookUpLabels, type ObjectLabel, type ObjectLabels } from "./names";
export { PROGRAM_FUNCTION, renderProject, type ExportProject } from "./render";

export const DEFAULT_STACK = "dev";
export const DEFAULT_PROJECT = "entra-nudge-tenant";

export interface ExportOptions {
  /** The directory to write the project to; created when missing, refused when not empty. */
  outDir: string;
  /** The stack whose settings file (Pulumi.<stackName>.yaml) is written; `--stack-name`. */
  stackName?: string;
  project?: string;
  /** Read and declare beta-only settings (default true): exact, at the cost of the beta endpoint. */
  beta?: boolean;
  /** Write into a directory that is not empty, replacing the project's files. */
  force?: boolean;
  /**
   * The Graph session to read with (settings from the environment, as for the providers: DESIGN.md
   * "Settings and credentials"; non-fatal problems, such as a name lookup Graph refused or a retry,
   * go to its warnings). Opened once the options are checked, so that a bad option is reported
   * before any settings problem.
   */
  session(): Session;
  /** Fixed time for the header (tests); default now. */
  now?: Date;
}

export interface ExportResult {
  outDir: string;
  tenantId: string;
  files: string[];
  declaration: ExportedDeclaration;
  labels: ObjectLabels;
}

const PROJECT_NAME = /^[A-Za-z0-9_.-]+$/;
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

function checkOutDir(outDir: string, force: boolean): void {
  if (!fs.existsSync(outDir)) return;
  if (!fs.statSync(outDir).isDirectory()) {
    throw new Error(`${outDir} exists and is not a directory. Choose another --out.`);
  }
  if (!force && fs.readdirSync(outDir).length > 0) {
    throw new Error(
      `${outDir} is not empty. Choose an empty or new directory, or pass --force to replace the exported files in it.`,
    );
  }
}

interface PackageManifest {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** The versions the generated package.json pins: the ones this package is built and tested with. */
function versions(): ExportProject["versions"] {
  const manifest = JSON.parse(
    fs.readFileSync(require.resolve("pulumi-entra-nudge/package.json"), "utf8"),
  ) as PackageManifest;
  return {
    package: manifest.version,
    pulumi: manifest.dependencies["@pulumi/pulumi"],
    typescript: manifest.devDependencies.typescript,
    typesNode: manifest.devDependencies["@types/node"],
  };
}

/** Non-secret stack config: the tenant, and the cloud and endpoints only where not the default. */
function stackConfig(tenantId: string, settings: GraphSettings): Record<string, string> {
  const cloud = resolveCloud(settings.cloud);
  return {
    "entra-nudge:tenantId": tenantId,
    ...(settings.cloud === "global" ? {} : { "entra-nudge:cloud": settings.cloud }),
    ...(settings.graphEndpoint === cloud.graphEndpoint
      ? {}
      : { "entra-nudge:graphEndpoint": settings.graphEndpoint }),
    ...(settings.authorityHost === cloud.authorityHost
      ? {}
      : { "entra-nudge:authorityHost": settings.authorityHost }),
  };
}

export async function exportTenant(options: ExportOptions): Promise<ExportResult> {
  const stack = options.stackName ?? DEFAULT_STACK;
  const project = options.project ?? DEFAULT_PROJECT;
  if (!STACK_NAME.test(stack)) {
    throw new Error(`--stack-name "${stack}": use letters, digits, "-", "_" and "." only.`);
  }
  if (!PROJECT_NAME.test(project)) {
    throw new Error(`--project "${project}": use letters, digits, "-", "_" and "." only.`);
  }
  const outDir = path.resolve(options.outDir);
  checkOutDir(outDir, options.force ?? false);
  const beta = options.beta ?? true;

  // The providers' settings resolution, client and tenant lookup: one way to sign in.
  const session = options.session();
  const graph = session.graph;
  const tenantId = await session.tenantId();
  const version = beta ? "beta" : "v1.0";
  const [campaign, authenticator, passkey] = await Promise.all([
    readCampaign(graph, version),
    readAuthenticator(graph, version),
    readPasskey(graph, passkeyGraphVersion()),
  ]);
  const declaration = declarationOf(campaign, authenticator, passkey);
  const labels = await lookUpLabels(graph, declaration, (message) => session.warn(message));
  const files = renderProject(declaration, labels, {
    project,
    stack,
    config: stackConfig(tenantId, session.settings),
    tenantId,
    exportedAt: (options.now ?? new Date()).toISOString(),
    versions: versions(),
    beta,
  });
  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(outDir, name), content);
  }
  return { outDir, tenantId, files: Object.keys(files), declaration, labels };
}
