// The default tenant plus a group one of its apps owns beside a user
// (tests/fixtures/tenants/app-owned-group.json): a service principal as a group owner, as Graph
// allows (learn.microsoft.com/graph/api/group-post-owners: "Add a user or service principal") and
// v1.0 does not list (learn.microsoft.com/graph/api/group-list-owners).
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./engine";

/** The writer app's service principal (emulator/tenants/default.json). */
export const WRITER_SP = "a67130db-2aa0-4666-959c-a90fb9c3035e";
/** AdeleV, a user of the default tenant. */
export const ADELE_ID = "898af1d0-ce0e-56a1-82a6-99c4ac76b981";
export const ADELE_UPN = "AdeleV@contoso.onmicrosoft.com";
/** "Automation pilot": owned by AdeleV and the writer app. */
export const APP_OWNED_GROUP = "5e7a1ce0-0000-4000-8000-0000000000a1";

export function appOwnedGroupTenant(): object {
  const read = (...parts: string[]) =>
    JSON.parse(fs.readFileSync(path.join(projectRoot, ...parts), "utf8")) as unknown;
  const tenant = read("emulator", "tenants", "default.json") as { groups: unknown[] };
  tenant.groups.push(read("tests", "fixtures", "tenants", "app-owned-group.json"));
  return tenant;
}
