// What the readiness suites share: an RFC 4180 CSV reader written apart from the product's writer,
// and the retirement date a tenant file gives each user, from its own data (role names,
// identities, invitation state) rather than from product code.
import type { TenantUser } from "../../emulator/tenants/format";

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** The CSV as objects keyed by its header. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}

/**
 * The date Microsoft's FAQ gives a user (2027-07-01 for Global Administrators and external users,
 * 2027-02-01 for everyone else, internal guests included), from the tenant file: the role name,
 * a `federated` identity, or an invitation not yet redeemed.
 */
export function expectedDeadline(
  u: TenantUser,
  groupRoles: ReadonlySet<string> = new Set(),
): string {
  const admin = (u.adminRoles ?? []).includes("Global Administrator") || groupRoles.has(u.id);
  const external =
    u.externalUserState === "PendingAcceptance" ||
    (u.identities ?? []).some((i) => i.signInType === "federated");
  return admin || external ? "2027-07-01" : "2027-02-01";
}

export function expectedPopulation(
  u: TenantUser,
  groupRoles: ReadonlySet<string> = new Set(),
): string {
  if ((u.adminRoles ?? []).includes("Global Administrator") || groupRoles.has(u.id))
    return "Global Administrator";
  if (
    u.externalUserState === "PendingAcceptance" ||
    (u.identities ?? []).some((i) => i.signInType === "federated")
  )
    return "external user";
  return u.userType === "Guest" ? "internal guest" : "member";
}
