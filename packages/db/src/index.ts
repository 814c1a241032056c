export { createDatabase, type Database } from "./create-database.ts";
export { migrateToLatest } from "./migrate.ts";
export { inTransaction, isUnreachable, pgErrorTranslator } from "./pg-errors.ts";
