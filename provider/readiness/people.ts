// `readiness --users FILE`: one row per phone-only user, for a helpdesk and for Microsoft's user
// communication templates. RFC 4180 CSV (CRLF line ends; a field with a comma, a quote or a line
// break is quoted, quotes doubled), and no cell a spreadsheet would run as a formula: a cell that
// starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, as OWASP's "CSV
// Injection" page advises.
import { POPULATION_TEXT, REASON_TEXT } from "../model";
import type { PhoneOnlyUser } from "./readiness";

export const PEOPLE_COLUMNS = [
  "id",
  "userPrincipalName",
  "displayName",
  "userType",
  "population",
  "deadline",
  "nudgedTo",
  "reason",
] as const;

const NUDGED_TO_TEXT = { fido2: "passkey", microsoftAuthenticator: "Microsoft Authenticator" };

/** One cell: neutralized (formula prefix) and quoted as RFC 4180 requires. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** The row's cells, in PEOPLE_COLUMNS order. */
export function personCells(person: PhoneOnlyUser): string[] {
  return [
    person.id,
    person.userPrincipalName,
    person.displayName ?? "",
    person.userType,
    POPULATION_TEXT[person.population],
    person.deadline,
    person.nudgedTo ? NUDGED_TO_TEXT[person.nudgedTo] : "",
    person.exempt
      ? "moved to a customer-managed telephony provider (--exempt-group): no blocking prompt"
      : person.reason
        ? REASON_TEXT[person.reason]
        : "",
  ];
}

/**
 * The CSV of one tenant's phone-only users, or of several (`stack` first, then the columns), in
 * the order of the registration report.
 */
export function peopleCsv(
  tenants: readonly { stack?: string; people: readonly PhoneOnlyUser[] }[],
): string {
  const withStack = tenants.some((t) => t.stack !== undefined);
  let out = csvLine(withStack ? ["stack", ...PEOPLE_COLUMNS] : [...PEOPLE_COLUMNS]);
  for (const tenant of tenants) {
    for (const person of tenant.people) {
      const cells = personCells(person);
      out += csvLine(withStack ? [tenant.stack ?? "", ...cells] : cells);
    }
  }
  return out;
}
