export { createDatabase, type Database } from "./create-database.ts";
export { migrateToLatest } from "./migrate.ts";
