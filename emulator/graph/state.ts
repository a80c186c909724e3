// The tenant's data at run time, with the indexes that keep a 100,000-user tenant fast: users by
// id and lower-cased UPN (shared with the seed, never copied: no Graph call writes users; the
// campaign simulation's registrations are laid over them per user), groups by id
// and mailNickname, sorted id arrays for keyset paging, member maps per group. reset() builds a new
// DirectoryState from the Seed in O(groups + audits): group records are shared with the seed and
// copied only when first written (copy-on-write), so no request ever deep-copies the tenant.
import { derivedServicePrincipalId } from "../identity";
import type { AppRegistration } from "../types";
import type {
  JsonObject,
  PolicyData,
  TenantFile,
  TenantGroup,
  TenantUser,
} from "../tenants/format";
import { indexAfter } from "./odata/query";
import { withPasskeyProfiles } from "./passkeys";

export interface GroupRecord {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  mail: string | null;
  proxyAddresses: string[];
  isAssignableToRole: boolean | null;
  createdDateTime: string;
  renewedDateTime: string;
  securityIdentifier: string;
  deletedDateTime: string | null;
  /** Reads see the group from this time on (replication lag, §4.8). */
  visibleFrom: number;
  /** Direct members: object id → time from which reads see the link (§4.8). */
  members: Map<string, number>;
  owners: Map<string, number>;
  /** Removed links reads still see until the given time (§4.8), keyed "members:id" / "owners:id". */
  departing: Map<string, number>;
  /** The DirectoryState epoch that owns this record; other epochs copy before writing. */
  epoch: number;
}

export type Relation = "members" | "owners";

export interface AuditRecord {
  /** Append order: keyset paging over "newest first" uses it. */
  seq: number;
  activityMs: number;
  /** Reads see the record from this time on (§10 item 23: audit latency). */
  visibleFrom: number;
  body: JsonObject;
}

/** The policy with its configurations: replaced whole on each write, so it can be shared. */
export interface PolicySnapshot {
  policy: PolicyData;
  /** Keyed by lower-cased configuration id (ids are case-insensitive, §3.1). */
  configurations: Map<string, JsonObject>;
}

/** Computes an Entra group SID from its object id: S-1-12-1 and the GUID's four little-endian words. */
export function securityIdentifierOf(objectId: string): string {
  const hex = objectId.replace(/-/g, "");
  const bytes = Buffer.alloc(16);
  // .NET Guid byte order: Data1..Data3 little-endian, Data4 as written.
  Buffer.from(hex.slice(0, 8), "hex").reverse().copy(bytes, 0);
  Buffer.from(hex.slice(8, 12), "hex").reverse().copy(bytes, 4);
  Buffer.from(hex.slice(12, 16), "hex").reverse().copy(bytes, 6);
  Buffer.from(hex.slice(16), "hex").copy(bytes, 8);
  const words = [0, 4, 8, 12].map((o) => bytes.readUInt32LE(o));
  return `S-1-12-1-${words.join("-")}`;
}

function groupRecordOf(g: TenantGroup): GroupRecord {
  return {
    id: g.id,
    displayName: g.displayName,
    description: g.description ?? null,
    mailNickname: g.mailNickname,
    mailEnabled: g.mailEnabled,
    securityEnabled: g.securityEnabled,
    groupTypes: [...(g.groupTypes ?? [])],
    visibility: g.visibility ?? null,
    mail: g.mail ?? null,
    proxyAddresses: g.mail ? [`SMTP:${g.mail}`] : [],
    isAssignableToRole: g.isAssignableToRole ?? null,
    createdDateTime: g.createdDateTime,
    renewedDateTime: g.createdDateTime,
    securityIdentifier: securityIdentifierOf(g.id),
    deletedDateTime: null,
    visibleFrom: 0,
    members: new Map((g.members ?? []).map((id) => [id, 0])),
    owners: new Map((g.owners ?? []).map((id) => [id, 0])),
    departing: new Map(),
    epoch: -1,
  };
}

/** The loaded tenant, immutable: the state reset() returns to. */
export class Seed {
  readonly users = new Map<string, TenantUser>();
  readonly usersByUpn = new Map<string, TenantUser>();
  readonly userIdsSorted: string[];
  readonly groups = new Map<string, GroupRecord>();
  readonly policy: PolicySnapshot;
  readonly audits: AuditRecord[];
  readonly apps: AppRegistration[];
  /** The tenant apps' service principals, by object id (lower case). */
  readonly servicePrincipals = new Map<string, ServicePrincipalRecord>();

  constructor(readonly tenant: TenantFile) {
    for (const u of tenant.users) {
      this.users.set(u.id, u);
      this.usersByUpn.set(u.userPrincipalName.toLowerCase(), u);
    }
    this.userIdsSorted = [...this.users.keys()].sort();
    for (const g of tenant.groups) this.groups.set(g.id, groupRecordOf(g));
    this.policy = {
      // A tenant file without the opt-out has not opted out (graph-contract-passkeys.md §2).
      policy: {
        ...tenant.authenticationMethodsPolicy,
        optOutSettings: tenant.authenticationMethodsPolicy.optOutSettings ?? {
          passkeyDynamicMigration: false,
        },
      },
      // Tenant files may describe the passkey configuration before profiles: Microsoft migrated
      // every tenant in 2026, so it is loaded migrated (passkeys.ts).
      configurations: new Map(
        tenant.authenticationMethodConfigurations.map((c) => [
          String(c.id).toLowerCase(),
          withPasskeyProfiles(c),
        ]),
      ),
    };
    this.audits = tenant.directoryAudits
      .map((body) => ({ body, activityMs: Date.parse(String(body.activityDateTime)) }))
      .sort((a, b) => a.activityMs - b.activityMs)
      .map((a, seq) => ({ seq, activityMs: a.activityMs, visibleFrom: 0, body: a.body }));
    this.apps = tenant.apps.map((a) => ({
      name: a.name,
      clientId: a.clientId,
      roles: [...a.roles],
      ...(a.scopes ? { scopes: [...a.scopes] } : {}),
      ...(a.publicClient !== undefined ? { publicClient: a.publicClient } : {}),
      servicePrincipalId: servicePrincipalIdOf(tenant.tenantId, a),
    }));
    for (const a of tenant.apps) {
      const id = servicePrincipalIdOf(tenant.tenantId, a);
      this.servicePrincipals.set(id, {
        id,
        appId: a.clientId,
        displayName: a.displayName ?? a.name,
      });
    }
  }
}

/** A tenant app's service principal: a directory object (a group owner, a directoryObjects read). */
export interface ServicePrincipalRecord {
  id: string;
  appId: string;
  displayName: string;
}

function servicePrincipalIdOf(tenantId: string, app: TenantFile["apps"][number]): string {
  return (
    app.servicePrincipalId ?? derivedServicePrincipalId(tenantId, app.clientId)
  ).toLowerCase();
}

let epochs = 0;

/** A user's history with the registration campaign: snoozes persist across campaign changes (§2.2). */
export interface NudgeMemory {
  snoozes: number;
  /** No prompt before this time (the snooze duration). */
  snoozedUntil: number;
}

/** The seed's users with the state's changed records laid over them, without copying the seed. */
class UserTable implements ReadonlyMap<string, TenantUser> {
  readonly changed = new Map<string, TenantUser>();

  constructor(private readonly seeded: ReadonlyMap<string, TenantUser>) {}

  get size(): number {
    return this.seeded.size;
  }

  get(id: string): TenantUser | undefined {
    return this.changed.get(id) ?? this.seeded.get(id);
  }

  has(id: string): boolean {
    return this.seeded.has(id);
  }

  *entries(): MapIterator<[string, TenantUser]> {
    for (const [id, user] of this.seeded) yield [id, this.changed.get(id) ?? user];
  }

  keys(): MapIterator<string> {
    return this.seeded.keys();
  }

  *values(): MapIterator<TenantUser> {
    for (const [, user] of this.entries()) yield user;
  }

  [Symbol.iterator](): MapIterator<[string, TenantUser]> {
    return this.entries();
  }

  forEach(
    callback: (value: TenantUser, key: string, map: ReadonlyMap<string, TenantUser>) => void,
  ): void {
    for (const [id, user] of this.entries()) callback(user, id, this);
  }
}

export class DirectoryState {
  readonly epoch = ++epochs;
  readonly groups: Map<string, GroupRecord>;
  readonly groupsByNickname = new Map<string, Set<string>>();
  readonly groupIdsSorted: string[];
  policy: PolicySnapshot;
  /** The snapshot reads keep seeing until `until` after a write (§4.8 applied to policies). */
  stalePolicy: { snapshot: PolicySnapshot; until: number } | undefined;
  readonly audits: AuditRecord[];
  /** Bumped by every group or membership write; caches are keyed by it. */
  stamp = 0;
  /** Until this time some write is not yet visible to reads, so read caches are bypassed. */
  pendingUntil = 0;
  private readonly cache = new Map<string, { stamp: number; ids: string[] }>();
  private readonly userTable: UserTable;
  /** What each user did with the nudge so far (the campaign simulation's memory). */
  readonly nudges = new Map<string, NudgeMemory>();

  constructor(readonly seed: Seed) {
    this.userTable = new UserTable(seed.users);
    this.groups = new Map(seed.groups);
    for (const g of this.groups.values()) this.indexNickname(g);
    this.groupIdsSorted = [...this.groups.keys()].sort();
    this.policy = seed.policy;
    this.audits = seed.audits.slice();
  }

  /** Users as the seed holds them, except those the campaign simulation changed. */
  get users(): ReadonlyMap<string, TenantUser> {
    return this.userTable;
  }

  /** A user by object id or userPrincipalName (§4.7). */
  userByKey(key: string): TenantUser | undefined {
    const seeded = this.seed.users.get(key) ?? this.seed.usersByUpn.get(key.toLowerCase());
    return seeded && this.userTable.get(seeded.id);
  }

  /**
   * Replaces a user's record (the simulation registers methods). The seed's record is never
   * written: the state keeps its own copy, so reset() still returns to the loaded tenant.
   */
  updateUser(id: string, change: (user: TenantUser) => TenantUser): TenantUser {
    const current = this.userTable.get(id);
    if (!current) throw new Error(`No user ${id} in the tenant.`);
    const next = change({ ...current, methods: [...(current.methods ?? [])] });
    this.userTable.changed.set(id, next);
    return next;
  }

  private indexNickname(g: GroupRecord): void {
    const key = g.mailNickname.toLowerCase();
    let ids = this.groupsByNickname.get(key);
    if (!ids) this.groupsByNickname.set(key, (ids = new Set()));
    ids.add(g.id);
  }

  /** Whether reads see this group now (not deleted, replicated). */
  groupVisible(g: GroupRecord, now: number): boolean {
    return g.deletedDateTime === null && g.visibleFrom <= now;
  }

  /** The group as reads see it: undefined while deleted or not yet replicated (§4.8). */
  readableGroup(id: string, now: number): GroupRecord | undefined {
    const g = this.groups.get(id);
    return g && this.groupVisible(g, now) ? g : undefined;
  }

  /** A group record this state may modify: copied from the seed on first write. */
  writableGroup(id: string): GroupRecord | undefined {
    const g = this.groups.get(id);
    if (!g) return undefined;
    if (g.epoch === this.epoch) return g;
    const copy: GroupRecord = {
      ...g,
      groupTypes: [...g.groupTypes],
      proxyAddresses: [...g.proxyAddresses],
      members: new Map(g.members),
      owners: new Map(g.owners),
      departing: new Map(g.departing),
      epoch: this.epoch,
    };
    this.groups.set(id, copy);
    return copy;
  }

  addGroup(g: GroupRecord): void {
    g.epoch = this.epoch;
    this.groups.set(g.id, g);
    this.indexNickname(g);
    this.groupIdsSorted.splice(indexAfter(this.groupIdsSorted, g.id), 0, g.id);
    this.touch(g.visibleFrom);
  }

  renameNickname(g: GroupRecord, nickname: string): void {
    this.groupsByNickname.get(g.mailNickname.toLowerCase())?.delete(g.id);
    g.mailNickname = nickname;
    this.indexNickname(g);
  }

  /** Removes a group for good (permanent delete or purge after 30 days). */
  purgeGroup(id: string): void {
    const g = this.groups.get(id);
    if (!g) return;
    this.groupsByNickname.get(g.mailNickname.toLowerCase())?.delete(id);
    this.groups.delete(id);
    const at = indexAfter(this.groupIdsSorted, id) - 1;
    if (this.groupIdsSorted[at] === id) this.groupIdsSorted.splice(at, 1);
    this.touch(0);
  }

  /** Records a write; `visibleAt` is when reads will see it. */
  touch(visibleAt: number): void {
    this.stamp++;
    if (visibleAt > this.pendingUntil) this.pendingUntil = visibleAt;
  }

  /** Whether a directory object (user, group or service principal) with this id exists for reads. */
  objectVisible(id: string, now: number): boolean {
    if (this.seed.users.has(id) || this.seed.servicePrincipals.has(id)) return true;
    const g = this.groups.get(id);
    return g !== undefined && this.groupVisible(g, now);
  }

  /** Linked ids reads see now, ascending (cached while nothing is pending). */
  linkedIds(g: GroupRecord, relation: Relation, now: number): string[] {
    const cacheable = now >= this.pendingUntil;
    const key = `${relation}:${g.id}`;
    const hit = this.cache.get(key);
    if (cacheable && hit && hit.stamp === this.stamp) return hit.ids;
    const ids: string[] = [];
    for (const [id, from] of g[relation]) {
      if (from <= now && this.objectVisible(id, now)) ids.push(id);
    }
    for (const [link, until] of g.departing) {
      const [rel, id] = link.split(":");
      if (rel === relation && until > now && this.objectVisible(id, now)) ids.push(id);
    }
    ids.sort();
    if (cacheable) this.cache.set(key, { stamp: this.stamp, ids });
    return ids;
  }

  /**
   * Transitive members reads see now: nested groups and everything under them, each once,
   * ascending (§4.6). Cached while nothing is pending.
   */
  transitiveMemberIds(g: GroupRecord, now: number): string[] {
    const cacheable = now >= this.pendingUntil;
    const key = `transitive:${g.id}`;
    const hit = this.cache.get(key);
    if (cacheable && hit && hit.stamp === this.stamp) return hit.ids;
    const seen = new Set<string>();
    const queue = [g];
    while (queue.length) {
      const current = queue.pop() as GroupRecord;
      for (const id of this.linkedIds(current, "members", now)) {
        if (seen.has(id) || id === g.id) continue;
        seen.add(id);
        const nested = this.groups.get(id);
        if (nested) queue.push(nested);
      }
    }
    const ids = [...seen].sort();
    if (cacheable) this.cache.set(key, { stamp: this.stamp, ids });
    return ids;
  }

  /** The policy as reads see it now (a recent write may not have replicated yet). */
  readablePolicy(now: number): PolicySnapshot {
    if (this.stalePolicy && now < this.stalePolicy.until) return this.stalePolicy.snapshot;
    return this.policy;
  }

  replacePolicy(next: PolicySnapshot, now: number, delayMs: number): void {
    this.stalePolicy =
      delayMs > 0 ? { snapshot: this.readablePolicy(now), until: now + delayMs } : undefined;
    this.policy = next;
  }

  appendAudit(body: JsonObject, activityMs: number, visibleFrom: number): void {
    const seq = this.audits.length ? this.audits[this.audits.length - 1].seq + 1 : 0;
    this.audits.push({ seq, activityMs, visibleFrom, body });
  }
}
