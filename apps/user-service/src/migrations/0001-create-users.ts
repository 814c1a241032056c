import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";

export const createUsers: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("users")
      .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn("email", "text", (c) => c.notNull())
      .addColumn("email_normalized", "text", (c) => c.notNull().unique())
      .addColumn("password_hash", "text", (c) => c.notNull())
      .addColumn("first_name", "text", (c) => c.notNull())
      .addColumn("last_name", "text", (c) => c.notNull())
      .addColumn("phone", "text")
      .addColumn("role", "text", (c) =>
        c.notNull().defaultTo("customer").check(sql`role in ('customer', 'admin')`),
      )
      .addColumn("is_active", "boolean", (c) => c.notNull().defaultTo(true))
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      // The stored form must already be lower case, so the unique index really is case-insensitive.
      .addCheckConstraint("users_email_normalized_lower", sql`email_normalized = lower(email_normalized)`)
      .execute();
    // Admin listing pages by creation time.
    await db.schema.createIndex("users_created_at_id").on("users").columns(["created_at", "id"]).execute();
  },
};
