import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";

export const createRefreshTokens: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("refresh_tokens")
      .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn("family_id", "uuid", (c) => c.notNull())
      .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "timestamptz", (c) => c.notNull())
      .addColumn("expires_at", "timestamptz", (c) => c.notNull())
      .addColumn("used_at", "timestamptz")
      .addColumn("revoked_at", "timestamptz")
      .addColumn("replaced_by", "uuid", (c) => c.references("refresh_tokens.id").onDelete("set null"))
      .execute();
    await db.schema
      .createIndex("refresh_tokens_family_id")
      .on("refresh_tokens")
      .column("family_id")
      .execute();
    await db.schema.createIndex("refresh_tokens_user_id").on("refresh_tokens").column("user_id").execute();
  },
};
