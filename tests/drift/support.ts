// Moved to tests/support/tenant.ts; kept until the last importer moves.
export { tenantWithId } from "../support/tenant";
