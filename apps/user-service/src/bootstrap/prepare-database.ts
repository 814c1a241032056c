import { migrateToLatest } from "@ecom/db";
import type { Clock } from "@ecom/service-kit";
import type { Kysely } from "kysely";
import { migrations } from "../migrations/index.ts";
import type { UserTables } from "../repository/tables.ts";
import type { PasswordHasher } from "../security/passwords.ts";
import { ensureAdmin } from "./ensure-admin.ts";

/** Start-up work before the first request: schema up to date, configured admin in place. */
export async function prepareDatabase(
  db: Kysely<UserTables>,
  options: {
    admin?: { email: string; password: string };
    clock: Clock;
    passwords: PasswordHasher;
  },
): Promise<void> {
  await migrateToLatest(db as Kysely<unknown>, migrations);
  if (options.admin) await ensureAdmin(db, options.admin, options.clock, options.passwords);
}
