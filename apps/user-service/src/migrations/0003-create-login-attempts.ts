import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";

export const createLoginAttempts: Migration = {
  async up(db: Kysely<unknown>) {
    // The login limiter's windows, in the database every replica shares, so replicas add no guesses.
    await db.schema
      .createTable("login_attempts")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("window_ends_at", "timestamptz", (c) => c.notNull())
      .execute();
    // The sweep of ended windows.
    await db.schema
      .createIndex("login_attempts_window_ends_at")
      .on("login_attempts")
      .column("window_ends_at")
      .execute();
  },
};
