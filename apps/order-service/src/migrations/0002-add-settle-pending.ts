import { type Kysely, sql } from "kysely";

/**
 * Shipping an order settles its reservation on the product service (its holds are dropped, the stock
 * stays sold). `settle_pending` is raised in the same update that sets "shipped" and cleared once the
 * product service confirmed, so recovery finishes settles a crash or an outage interrupted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("orders")
    .addColumn("settle_pending", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("stock_settled_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("orders_settle_pending_idx")
    .on("orders")
    .column("updated_at")
    .where(sql.ref("settle_pending"), "=", true)
    .execute();
  // Orders shipped before this migration still hold their stock on the products; recovery settles them.
  await sql`update orders set settle_pending = true
    where saga_state = 'reserved' and status in ('shipped', 'delivered')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("orders_settle_pending_idx").execute();
  await db.schema.alterTable("orders").dropColumn("stock_settled_at").dropColumn("settle_pending").execute();
}
