export { createDatabase, type Database } from "./create-database.ts";
export { migrateToLatest } from "./migrate.ts";
export { isUnreachable, type PgErrors, pgErrors } from "./pg-errors.ts";
