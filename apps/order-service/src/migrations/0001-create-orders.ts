import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("orders")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("user_id", "uuid", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('pending','confirmed','shipped','delivered','cancelled')`),
    )
    .addColumn("saga_state", "text", (c) =>
      c.notNull().check(sql`saga_state in ('reserving','reserved','failed')`),
    )
    .addColumn("total_cents", "bigint", (c) => c.notNull().check(sql`total_cents >= 0`))
    .addColumn("shipping_address", "jsonb", (c) => c.notNull())
    .addColumn("payment_method", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text")
    .addColumn("release_pending", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("stock_released_at", "timestamptz")
    .addColumn("recovery_lease_until", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
  // Listing: a user's visible orders, newest first; admins filter by status.
  await db.schema
    .createIndex("orders_user_created_idx")
    .on("orders")
    .columns(["user_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("orders_status_created_idx")
    .on("orders")
    .columns(["status", "created_at"])
    .execute();
  // Recovery scans only unfinished work, so these partial indexes stay tiny.
  await db.schema
    .createIndex("orders_unfinished_saga_idx")
    .on("orders")
    .column("created_at")
    .where(sql.ref("saga_state"), "=", "reserving")
    .execute();
  await db.schema
    .createIndex("orders_release_pending_idx")
    .on("orders")
    .column("updated_at")
    .where(sql.ref("release_pending"), "=", true)
    .execute();

  await db.schema
    .createTable("order_items")
    .addColumn("order_id", "uuid", (c) => c.notNull().references("orders.id").onDelete("cascade"))
    .addColumn("line_no", "integer", (c) => c.notNull())
    .addColumn("product_id", "uuid", (c) => c.notNull())
    .addColumn("product_name", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity between 1 and 100`))
    .addColumn("price_cents", "bigint", (c) => c.notNull().check(sql`price_cents >= 0`))
    .addPrimaryKeyConstraint("order_items_pk", ["order_id", "line_no"])
    .addUniqueConstraint("order_items_product_once", ["order_id", "product_id"])
    .execute();

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("user_id", "uuid", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("order_id", "uuid", (c) => c.notNull().references("orders.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pk", ["user_id", "key"])
    .execute();
  await db.schema
    .createIndex("idempotency_keys_created_idx")
    .on("idempotency_keys")
    .column("created_at")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("idempotency_keys").execute();
  await db.schema.dropTable("order_items").execute();
  await db.schema.dropTable("orders").execute();
}
