// Deterministic synthetic tenants for scale tests and benchmarks: the same options and seed give
// byte-identical files. Users and groups are streamed to the file one line at a time, so a
// 100,000-user tenant never exists as one big string.
//
//   node dist/emulator/generate.js --users 100000 --seed 1 --out /tmp/tenant-100k.json
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { DEFAULT_TENANT_FILE } from "./graph/index";
import type { JsonObject, TenantFile, TenantGroup, TenantUser } from "./tenants/format";
import { seededRandom } from "./random.js";

export interface GenerateOptions {
  users: number;
  seed: number;
  /** Entra ID P1/P2 (default true): the registration report needs it. */
  premiumLicense?: boolean;
  domain?: string;
}

/** A GUID derived from (seed, kind, index) alone, so groups can name users by index. */
function guid(seed: number, kind: number, index: number): string {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  const words: string[] = [];
  for (let k = 0; k < 4; k++) {
    h = Math.imul(h ^ (kind * 0x85ebca6b + index * 0xc2b2ae35 + k * 0x27d4eb2f), 0x165667b1) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    words.push(h.toString(16).padStart(8, "0"));
  }
  const hex = words.join("");
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const FIRST = [
  "Ada",
  "Alan",
  "Amara",
  "Ana",
  "Ben",
  "Bianca",
  "Carlos",
  "Chen",
  "Chloe",
  "Dan",
  "Dev",
  "Elena",
  "Emeka",
  "Fatima",
  "Felix",
  "Grace",
  "Hana",
  "Hugo",
  "Ines",
  "Ivan",
  "Jamal",
  "Jia",
  "Jonas",
  "Kai",
  "Lara",
  "Leo",
  "Lina",
  "Marco",
  "Maya",
  "Mohammed",
  "Nadia",
  "Nina",
  "Omar",
  "Priya",
  "Quinn",
  "Rafael",
  "Rosa",
  "Sam",
  "Sara",
  "Tariq",
  "Tess",
  "Uma",
  "Victor",
  "Wei",
  "Yara",
  "Yusuf",
  "Zoe",
  "Siobhan",
  "Padraig",
  "Renée",
];
const LAST = [
  "Adeyemi",
  "Alvarez",
  "Andersen",
  "Bauer",
  "Bianchi",
  "Brown",
  "Chen",
  "Costa",
  "Dubois",
  "Eriksen",
  "Fischer",
  "Garcia",
  "Gupta",
  "Haddad",
  "Hansen",
  "Ito",
  "Jansen",
  "Kim",
  "Kowalski",
  "Larsen",
  "Lopez",
  "Martin",
  "Moreau",
  "Müller",
  "Nakamura",
  "Nguyen",
  "Novak",
  "O'Connor",
  "Okafor",
  "Patel",
  "Petrov",
  "Rossi",
  "Santos",
  "Schmidt",
  "Silva",
  "Singh",
  "Smith",
  "Suzuki",
  "Tanaka",
  "Virtanen",
  "Wang",
  "Weber",
  "Williams",
  "Wójcik",
  "Yilmaz",
  "Zhang",
  "O'Neil",
  "Ó Briain",
  "Dupont",
  "Kaur",
];
const DEPARTMENTS = [
  "Sales",
  "Engineering",
  "Finance",
  "Human Resources",
  "Marketing",
  "Operations",
  "Legal",
  "Support",
  "Research",
  "Manufacturing",
  "Logistics",
  "IT",
];
const PARTNERS = [
  "fabrikam.com",
  "northwindtraders.com",
  "woodgrovebank.com",
  "adventure-works.com",
  "tailspintoys.com",
];

/**
 * Registration states and their shares (one draw per user, so the rest of the tenant does not
 * depend on the mix). Phone-only users (SMS, or voice by default or by office phone) are the
 * campaign's audience and the SMS/voice retirement's (DESIGN.md); TOTP-only, Authenticator,
 * passkey (the report's passKey* values, graph-contract-passkeys.md §5) and no-method users
 * surround them.
 */
const REGISTRATION_MIX: { share: number; methods: string[]; preferred?: string }[] = [
  { share: 0.22, methods: ["mobilePhone"] },
  { share: 0.04, methods: ["mobilePhone"], preferred: "voiceMobile" },
  { share: 0.02, methods: ["officePhone"] },
  { share: 0.06, methods: ["mobilePhone", "email"] },
  { share: 0.2, methods: ["microsoftAuthenticatorPush", "softwareOneTimePasscode"] },
  {
    share: 0.05,
    methods: ["microsoftAuthenticatorPush", "softwareOneTimePasscode", "mobilePhone"],
  },
  { share: 0.06, methods: ["softwareOneTimePasscode"] },
  { share: 0.04, methods: ["microsoftAuthenticatorPasswordless", "microsoftAuthenticatorPush"] },
  { share: 0.02, methods: ["fido2SecurityKey"] },
  { share: 0.03, methods: ["windowsHelloForBusiness", "microsoftAuthenticatorPush"] },
  { share: 0.02, methods: ["passKeyDeviceBoundAuthenticator", "mobilePhone"] },
  { share: 0.02, methods: ["passKeySynced"] },
  { share: 0.01, methods: ["passKeyDeviceBoundWindowsHello", "microsoftAuthenticatorPush"] },
  { share: 0.21, methods: [] },
];

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
}

function registrationFor(rng: () => number): { methods: string[]; preferred?: string } {
  let r = rng();
  for (const entry of REGISTRATION_MIX) {
    if ((r -= entry.share) < 0) return { methods: [...entry.methods], preferred: entry.preferred };
  }
  return { methods: [] };
}

/** Day offsets as ISO durations before load, so the data never ages out of retention windows. */
function daysAgo(days: number, minutes = 0): string {
  return `-P${days}DT${minutes}M`;
}

/**
 * A redeemed B2B user's identities: the account's own userPrincipalName identity, and the
 * `federated` one of the identity provider it signs in with (learn.microsoft.com/entra/external-id/user-properties,
 * "Identities"): mostly another Microsoft Entra tenant, then Microsoft accounts, email one-time
 * passcodes and Google.
 */
function identitiesOf(i: number, upn: string, domain: string): TenantUser["identities"] {
  const r = (i * 7919) % 20;
  const issuer =
    r < 14 ? "ExternalAzureAD" : r < 17 ? "MicrosoftAccount" : r < 19 ? "mail" : "google.com";
  return [
    { signInType: "userPrincipalName", issuer: domain, issuerAssignedId: upn },
    { signInType: "federated", issuer, issuerAssignedId: null },
  ];
}

/** Drops undefined properties, so in-memory and written tenants are the same data. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[])
    if (value[key] === undefined) delete value[key];
  return value;
}

interface Sink {
  header(tenant: Omit<TenantFile, "users" | "groups" | "directoryAudits">): void;
  user(u: TenantUser): void;
  group(g: TenantGroup): void;
  audit(a: JsonObject): void;
}

const KIND_USER = 1;
const KIND_GROUP = 2;
const KIND_TENANT = 3;

function produce(options: GenerateOptions, sink: Sink): void {
  const { users: n, seed } = options;
  if (!Number.isInteger(n) || n < 10)
    throw new Error(`--users must be an integer of at least 10 (got ${n})`);
  const domain = options.domain ?? `contoso${seed}.onmicrosoft.com`;
  const template = JSON.parse(readFileSync(DEFAULT_TENANT_FILE, "utf8")) as TenantFile;
  const rng = seededRandom(seed);
  const userId = (i: number) => guid(seed, KIND_USER, i);
  const groupId = (i: number) => guid(seed, KIND_GROUP, i);

  // Groups are numbered up front so the policy can name the break-glass group.
  const G_BREAK_GLASS = 0;
  const G_ALL_STAFF = 1;
  const G_GUESTS = 2;
  const G_LICENSED = 3;
  const G_PILOTS = [4, 5, 6];
  const G_DEPARTMENT = 7;
  const G_TEAMS = G_DEPARTMENT + DEPARTMENTS.length;
  const teamCount = Math.max(3, Math.floor(n / 100));

  const configurations = template.authenticationMethodConfigurations.map((c) => {
    if (c.id === "Fido2")
      return {
        ...c,
        includeTargets: [
          { targetType: "group", id: groupId(G_BREAK_GLASS), isRegistrationRequired: false },
        ],
      };
    // The tenant has voice users (mobile and office phone), so voice calls are enabled for them.
    if (c.id === "Voice") return { ...c, state: "enabled", isOfficePhoneAllowed: true };
    return c;
  });
  sink.header({
    tenantId: guid(seed, KIND_TENANT, 0),
    displayName: `Contoso (synthetic, ${n} users, seed ${seed})`,
    domain,
    premiumLicense: options.premiumLicense ?? true,
    ssprEnabled: true,
    reportRefreshedDateTime: "-PT2H",
    apps: template.apps,
    authenticationMethodsPolicy: template.authenticationMethodsPolicy,
    authenticationMethodConfigurations: configurations,
  });

  const adminCount = Math.max(3, Math.floor(n / 2000));
  const department: number[] = new Array(n);
  const guests: number[] = [];
  const isGuest = new Uint8Array(n);
  const enabledMembers: number[] = [];
  for (let i = 0; i < n; i++) {
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    const local = `${first}.${last}${i}`
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^\x21-\x7e]/g, "")
      .replace(/\s+/g, "");
    const breakGlass = i < 2;
    const guest = !breakGlass && i >= adminCount && rng() < 0.08;
    // The populations of the SMS/voice retirement (graph-contract-passkeys.md §7), decided by the
    // index so the random stream (and every other figure of a seeded tenant) stays as it was: one
    // guest in six is an internal guest (an account of this tenant, userType Guest), one member in
    // fifty an external member (a B2B user of a sister tenant, userType Member); the first admin
    // after the break-glass accounts does MFA by SMS only.
    const internalGuest = guest && i % 6 === 0;
    const externalMember = !guest && !breakGlass && i >= adminCount && i % 50 === 7;
    const external = (guest && !internalGuest) || externalMember;
    const enabled = breakGlass || rng() >= 0.02;
    department[i] = Math.floor(rng() * DEPARTMENTS.length);
    const partner = pick(rng, PARTNERS);
    const upn = external
      ? `${local}_${partner}#EXT#@${domain}`
      : `${breakGlass ? `breakglass0${i + 1}` : local}@${domain}`;
    const drawn = breakGlass ? { methods: ["fido2SecurityKey"] } : registrationFor(rng);
    const registration = i === 2 ? { methods: ["mobilePhone"], preferred: "sms" } : drawn;
    const created = Math.floor(rng() * 1500) + 30;
    // Drawn for every guest, as before, so the stream does not depend on who is internal.
    const accepted = guest ? rng() < 0.9 : true;
    const externalState = external ? (accepted ? "Accepted" : "PendingAcceptance") : undefined;
    const u: TenantUser = {
      id: userId(i),
      userPrincipalName: upn,
      displayName: breakGlass
        ? `Emergency Access 0${i + 1}`
        : `${first} ${last}${external ? ` (${partner})` : ""}`,
      givenName: breakGlass ? undefined : first,
      surname: breakGlass ? undefined : last,
      mail: external ? `${local}@${partner}` : upn,
      department: guest ? undefined : DEPARTMENTS[department[i]],
      userType: guest ? "Guest" : "Member",
      accountEnabled: enabled,
      createdDateTime: daysAgo(created),
      externalUserState: externalState,
      adminRoles: i < adminCount ? ["Global Administrator"] : undefined,
      identities:
        external && externalState === "Accepted" ? identitiesOf(i, upn, domain) : undefined,
      methods: registration.methods,
      preferredMethod: "preferred" in registration ? registration.preferred : undefined,
    };
    sink.user(withoutUndefined(u));
    if (guest) {
      guests.push(i);
      isGuest[i] = 1;
    } else if (enabled && !breakGlass) enabledMembers.push(i);
  }

  const owner = [userId(0)];
  const group = (
    index: number,
    displayName: string,
    nickname: string,
    members: string[],
    description?: string,
  ) =>
    sink.group(
      withoutUndefined({
        id: groupId(index),
        displayName,
        description,
        mailNickname: nickname,
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: [],
        createdDateTime: daysAgo(400 + index),
        members,
        owners: owner,
      }),
    );

  group(
    G_BREAK_GLASS,
    "Emergency Access Accounts",
    "emergency-access",
    [userId(0), userId(1)],
    "Break-glass accounts",
  );
  group(
    G_ALL_STAFF,
    "All Staff",
    "all-staff",
    DEPARTMENTS.map((_, d) => groupId(G_DEPARTMENT + d)),
    "Every department group, nested",
  );
  group(G_GUESTS, "External Partners", "external-partners", guests.map(userId), "Every guest");
  group(
    G_LICENSED,
    "Licensed Users",
    "licensed-users",
    enabledMembers.filter(() => rng() < 0.95).map(userId),
    "A very large assigned group",
  );
  const pilotSizes = [50, 500, 5000];
  G_PILOTS.forEach((index, wave) => {
    const size = Math.min(pilotSizes[wave], enabledMembers.length);
    const start = Math.floor(rng() * Math.max(1, enabledMembers.length - size));
    const members = enabledMembers.slice(start, start + size).map(userId);
    group(
      index,
      `Pilot - Authenticator wave ${wave + 1}`,
      `pilot-authenticator-wave${wave + 1}`,
      members,
    );
  });
  const byDepartment: string[][] = DEPARTMENTS.map(() => []);
  for (let i = 2; i < n; i++) if (!isGuest[i]) byDepartment[department[i]].push(userId(i));
  DEPARTMENTS.forEach((name, d) => {
    const teams = [];
    for (let t = d; t < teamCount; t += DEPARTMENTS.length)
      if (t % 5 === 0) teams.push(groupId(G_TEAMS + t));
    group(G_DEPARTMENT + d, name, name.toLowerCase().replace(/\s+/g, "-"), [
      ...byDepartment[d],
      ...teams,
    ]);
  });
  for (let t = 0; t < teamCount; t++) {
    const size = 5 + Math.floor(rng() * 46);
    const members = new Set<string>();
    for (let k = 0; k < size; k++) members.add(userId(2 + Math.floor(rng() * (n - 2))));
    // Every third team nests the next one: chains of nested groups, as real tenants grow them.
    if (t % 3 === 0 && t + 1 < teamCount) members.add(groupId(G_TEAMS + t + 1));
    group(G_TEAMS + t, `Team ${String(t + 1).padStart(4, "0")}`, `team-${t + 1}`, [...members]);
  }

  const registrations = Math.min(n, 500);
  for (let k = 0; k < registrations; k++) {
    const i = 2 + Math.floor(rng() * (n - 2));
    const correlationId = guid(seed, 4, k);
    const day = Math.floor(rng() * 28);
    sink.audit({
      id: `AuthMethods_${correlationId}_SYN${String(k).padStart(2, "0").slice(-2)}_${String(10000000 + k)}`,
      category: "UserManagement",
      correlationId,
      result: "success",
      resultReason: "User registered Authenticator App with Notification and Code",
      activityDisplayName: "User registered security info",
      activityDateTime: daysAgo(day, Math.floor(rng() * 1440)),
      loggedByService: "Authentication Methods",
      operationType: "Add",
      initiatedBy: {
        app: null,
        user: {
          id: userId(i),
          displayName: null,
          userPrincipalName: null,
          ipAddress: "198.51.100.7",
        },
      },
      targetResources: [
        {
          id: userId(i),
          displayName: null,
          type: "User",
          userPrincipalName: null,
          groupType: null,
          modifiedProperties: [],
        },
      ],
      additionalDetails: [],
    });
  }
}

/** Builds a synthetic tenant in memory (tests; up to tens of thousands of users). */
export function generateTenant(options: GenerateOptions): TenantFile {
  let head: Omit<TenantFile, "users" | "groups" | "directoryAudits"> | undefined;
  const users: TenantUser[] = [];
  const groups: TenantGroup[] = [];
  const directoryAudits: JsonObject[] = [];
  produce(options, {
    header: (h) => (head = h),
    user: (u) => users.push(u),
    group: (g) => groups.push(g),
    audit: (a) => directoryAudits.push(a),
  });
  return { ...(head as NonNullable<typeof head>), users, groups, directoryAudits };
}

/** Streams a synthetic tenant to `file`, one user or group per line. Returns what it wrote. */
export function writeTenant(
  options: GenerateOptions,
  file: string,
): { users: number; groups: number; bytes: number } {
  const fd = openSync(file, "w");
  let bytes = 0;
  let buffer = "";
  const write = (text: string) => {
    buffer += text;
    if (buffer.length > 1 << 20) flush();
  };
  const flush = () => {
    bytes += writeSync(fd, buffer);
    buffer = "";
  };
  let section: "users" | "groups" | "directoryAudits" | undefined;
  let first = true;
  const counts = { users: 0, groups: 0 };
  const open = (name: "users" | "groups" | "directoryAudits") => {
    if (section === name) return;
    write(`${section ? "\n ]," : ""}\n "${name}": [`);
    section = name;
    first = true;
  };
  const item = (name: "users" | "groups" | "directoryAudits", value: unknown) => {
    open(name);
    write(`${first ? "" : ","}\n  ${JSON.stringify(value)}`);
    first = false;
  };
  try {
    produce(options, {
      header: (h) => {
        const text = JSON.stringify(h, null, 1);
        write(text.slice(0, text.lastIndexOf("}")).trimEnd() + ",");
      },
      user: (u) => {
        item("users", u);
        counts.users++;
      },
      group: (g) => {
        item("groups", g);
        counts.groups++;
      },
      audit: (a) => item("directoryAudits", a),
    });
    open("directoryAudits");
    write("\n ]\n}\n");
    flush();
  } finally {
    closeSync(fd);
  }
  return { ...counts, bytes };
}

function main(argv: string[]): void {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--no-premium") args.set("premium", "false");
    else if (a.startsWith("--")) args.set(a.slice(2), argv[++i] ?? "");
  }
  const out = args.get("out");
  if (!out) {
    process.stderr.write(
      "usage: node dist/emulator/generate.js --users N [--seed S] [--no-premium] --out FILE\n",
    );
    process.exit(2);
  }
  const options: GenerateOptions = {
    users: Number(args.get("users") ?? 10000),
    seed: Number(args.get("seed") ?? 1),
    premiumLicense: args.get("premium") !== "false",
  };
  const written = writeTenant(options, out);
  process.stdout.write(
    `${JSON.stringify({ out, users: written.users, groups: written.groups, bytes: written.bytes, seed: options.seed })}\n`,
  );
}

if (require.main === module) main(process.argv.slice(2));
