// The emulator's tenant as the engine tests see it from outside the program: the default tenant's
// object ids, the same tenant under another id, and two people who change it out of band with real
// Graph calls: `Tenant` (raw requests, as an admin's script would) and `Portal` (the product's typed
// Graph calls with the writer's credentials, as the portal would).
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { resolveSettings } from "../../provider/config";
import {
  GraphClient,
  changeRelationship,
  deleteGroup,
  getAuthenticationMethodsPolicy,
  getAuthenticatorConfiguration,
  patchAuthenticatorConfiguration,
  patchRegistrationEnforcement,
} from "../../provider/graph";
import type { RunningEmulator } from "../../emulator/index.js";
import { getToken, rawRequest } from "./emulator";
import { projectRoot } from "./engine";

/** Objects of the emulator's default tenant (emulator/tenants/default.json). */
export const BREAK_GLASS_GROUP_ID = "6dbc0cdd-bcd1-5384-8dce-41a981a21b4c"; // Emergency Access Accounts
export const ENGINEERING_GROUP_ID = "0b2aab64-4927-523f-872d-07057afedf1e";
export const SALES_GROUP_ID = "2fbb5b75-4b8e-581b-9aaa-28ef3cb88c74";
export const PILOT_USER_UPN = "pilot.user@contoso.onmicrosoft.com";
export const PILOT_USER_ID = "bb1d6c17-7043-5689-a17d-aa610e2a4115";

export const CAMPAIGN_PATH = "/v1.0/policies/authenticationMethodsPolicy";
export const AUTHENTICATOR_PATH = `${CAMPAIGN_PATH}/authenticationMethodConfigurations/MicrosoftAuthenticator`;

/** The emulator's default tenant under another tenant id (several tenants in one test). */
export function tenantWithId(tenantId: string): Record<string, unknown> {
  const tenant = JSON.parse(
    fs.readFileSync(path.join(projectRoot, "emulator", "tenants", "default.json"), "utf8"),
  ) as Record<string, unknown>;
  return { ...tenant, tenantId };
}

/** The `entra-nudge:*` stack settings that point a stack at this emulator's tenant as one app. */
export function tenantSettings(emulator: RunningEmulator, app = "writer"): Record<string, string> {
  const { clientId, clientSecret } = emulator.info.apps[app];
  return {
    "entra-nudge:tenantId": emulator.info.tenantId,
    "entra-nudge:clientId": clientId,
    "entra-nudge:clientSecret": clientSecret,
    "entra-nudge:authorityHost": emulator.info.authorityHost,
    "entra-nudge:graphEndpoint": emulator.info.graphEndpoint,
  };
}

export interface GraphCampaign {
  state: string;
  snoozeDurationInDays: number;
  enforceRegistrationAfterAllowedSnoozes?: boolean;
  includeTargets: { id: string; targetType: string; targetedAuthenticationMethod: string }[];
  excludeTargets: { id: string; targetType: string }[];
}

/** Reads and writes Graph as anyone else would (the portal, an admin's script): real calls. */
export class Tenant {
  constructor(private readonly emulator: RunningEmulator) {}

  async get<T>(path: string, app = "writer"): Promise<T> {
    const response = await rawRequest(this.emulator, {
      path,
      token: await getToken(this.emulator, app),
    });
    expect(response.status, `GET ${path}: ${response.text}`).to.equal(200);
    return response.json as T;
  }

  async patch(path: string, body: unknown, app = "writer"): Promise<void> {
    const response = await rawRequest(this.emulator, {
      method: "PATCH",
      path,
      body,
      token: await getToken(this.emulator, app),
    });
    expect(response.status, `PATCH ${path}: ${response.text}`).to.be.oneOf([200, 204]);
  }

  async campaign(version: "v1.0" | "beta" = "v1.0"): Promise<GraphCampaign> {
    const policy = await this.get<{
      registrationEnforcement: { authenticationMethodsRegistrationCampaign: GraphCampaign };
    }>(CAMPAIGN_PATH.replace("/v1.0", `/${version}`));
    return policy.registrationEnforcement.authenticationMethodsRegistrationCampaign;
  }

  async authenticator(version: "v1.0" | "beta" = "v1.0"): Promise<Record<string, unknown>> {
    return this.get(AUTHENTICATOR_PATH.replace("/v1.0", `/${version}`));
  }

  /** The groups with this display name, with their member ids (sorted). */
  async groupsNamed(displayName: string): Promise<{ id: string; memberIds: string[] }[]> {
    const filter = encodeURIComponent(`displayName eq '${displayName.replace(/'/g, "''")}'`);
    const groups = await this.get<{ value: { id: string }[] }>(
      `/v1.0/groups?$filter=${filter}&$select=id`,
    );
    return Promise.all(
      groups.value.map(async (group) => {
        const members = await this.get<{ value: { id: string }[] }>(
          `/v1.0/groups/${group.id}/members?$select=id`,
        );
        return { id: group.id, memberIds: members.value.map((m) => m.id).sort() };
      }),
    );
  }

  /** Graph writes in the request log (not reads, not sign-ins), as "METHOD /path". */
  writes(): string[] {
    const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
    return this.emulator
      .requests()
      .filter((r) => /^\/(v1\.0|beta)\//.test(r.path) && r.method !== "GET")
      .filter((r) => !r.path.endsWith("/$batch"))
      .map((r) => `${r.method} ${r.path.replace(guid, "{id}")}`);
  }
}

/** Someone editing the tenant in the portal: real Graph calls with the writer's credentials. */
export class Portal {
  readonly graph: GraphClient;

  constructor(emulator: RunningEmulator) {
    this.graph = new GraphClient(
      resolveSettings(() => undefined, emulator.env("writer")),
      {
        retryDelaySeconds: 0,
      },
    );
  }

  async campaign(): Promise<Record<string, unknown>> {
    const policy = await getAuthenticationMethodsPolicy(this.graph);
    return policy.registrationEnforcement?.authenticationMethodsRegistrationCampaign as Record<
      string,
      unknown
    >;
  }

  /** The portal sends the whole campaign back with the edit applied. */
  async editCampaign(edit: (campaign: Record<string, unknown>) => void): Promise<void> {
    const campaign = structuredClone(await this.campaign());
    edit(campaign);
    await patchRegistrationEnforcement(this.graph, {
      authenticationMethodsRegistrationCampaign: campaign,
    });
  }

  async authenticator(): Promise<Record<string, unknown>> {
    return (await getAuthenticatorConfiguration(this.graph)) as Record<string, unknown>;
  }

  async setAuthenticator(settings: Record<string, unknown>): Promise<void> {
    await patchAuthenticatorConfiguration(this.graph, {
      state: settings.state as "enabled" | "disabled",
      includeTargets: settings.includeTargets as never,
      excludeTargets: settings.excludeTargets as never,
    });
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    await changeRelationship(this.graph, groupId, "members", "remove", [userId]);
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    await changeRelationship(this.graph, groupId, "members", "add", [userId]);
  }

  async deleteGroup(groupId: string): Promise<void> {
    await deleteGroup(this.graph, groupId);
  }
}
