import type { Kysely, Selectable } from "kysely";
import { withDbErrors } from "./db-errors.ts";
import type {
  OrderItemsTable,
  OrderStatus,
  OrdersDatabase,
  OrdersTable,
  ShippingAddressRow,
} from "./tables.ts";

export type OrderRow = Selectable<OrdersTable>;
export type OrderItemRow = Selectable<OrderItemsTable>;
export type OrderRecord = OrderRow & { items: OrderItemRow[] };

export type NewOrder = {
  id: string;
  userId: string;
  totalCents: bigint;
  shippingAddress: ShippingAddressRow;
  paymentMethod: string;
  items: { productId: string; productName: string; quantity: number; priceCents: number }[];
  idempotency?: { userId: string; key: string; requestHash: string };
};

/** Thrown inside the insert transaction to roll it back when another request already holds the key. */
class KeyTaken extends Error {}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

/** The follow-up a status change owes the product service, raised in the same write as the status. */
function pendingFlag(to: OrderStatus) {
  if (to === "cancelled") return { release_pending: true };
  if (to === "shipped") return { settle_pending: true };
  return {};
}

export function createOrdersRepository(db: Kysely<OrdersDatabase>, clock: () => Date) {
  async function withItems(rows: OrderRow[], tx: Kysely<OrdersDatabase> = db): Promise<OrderRecord[]> {
    if (rows.length === 0) return [];
    const items = await tx
      .selectFrom("order_items")
      .selectAll()
      .where(
        "order_id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("line_no")
      .execute();
    return rows.map((row) => ({ ...row, items: items.filter((i) => i.order_id === row.id) }));
  }

  async function findById(id: string, tx: Kysely<OrdersDatabase> = db): Promise<OrderRecord | undefined> {
    const row = await tx.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? (await withItems([row], tx))[0] : undefined;
  }

  return withDbErrors({
    findById,

    /** Only orders whose stock was reserved exist for users; the rest are saga bookkeeping. */
    async findVisible(id: string): Promise<OrderRecord | undefined> {
      const order = await findById(id);
      return order?.saga_state === "reserved" ? order : undefined;
    },

    /**
     * Writes the order, its lines and the idempotency key in one transaction, before any stock is
     * touched, so a crash at any later point leaves a row recovery can find. Returns false when the
     * key is already held by another order (the caller then replays that one).
     */
    async insertReserving(order: NewOrder): Promise<boolean> {
      const now = clock();
      try {
        await db.transaction().execute(async (tx) => {
          await tx
            .insertInto("orders")
            .values({
              id: order.id,
              user_id: order.userId,
              status: "pending",
              saga_state: "reserving",
              total_cents: order.totalCents,
              shipping_address: JSON.stringify(order.shippingAddress),
              payment_method: order.paymentMethod,
              idempotency_key: order.idempotency?.key ?? null,
              stock_released_at: null,
              recovery_lease_until: null,
              created_at: now,
              updated_at: now,
            })
            .execute();
          await tx
            .insertInto("order_items")
            .values(
              order.items.map((item, index) => ({
                order_id: order.id,
                line_no: index + 1,
                product_id: item.productId,
                product_name: item.productName,
                quantity: item.quantity,
                price_cents: BigInt(item.priceCents),
              })),
            )
            .execute();
          if (!order.idempotency) return;
          // A concurrent insert of the same key waits here for the first transaction, then finds the row.
          const inserted = await tx
            .insertInto("idempotency_keys")
            .values({
              user_id: order.idempotency.userId,
              key: order.idempotency.key,
              request_hash: order.idempotency.requestHash,
              order_id: order.id,
              created_at: now,
            })
            .onConflict((oc) => oc.columns(["user_id", "key"]).doNothing())
            .returning("order_id")
            .executeTakeFirst();
          if (!inserted) throw new KeyTaken();
        });
        return true;
      } catch (error) {
        if (error instanceof KeyTaken) return false;
        throw error;
      }
    },

    /** Ends the saga successfully; false if recovery already settled it. */
    async markReserved(id: string): Promise<boolean> {
      const result = await db
        .updateTable("orders")
        .set({ saga_state: "reserved", recovery_lease_until: null, updated_at: clock() })
        .where("id", "=", id)
        .where("saga_state", "=", "reserving")
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /**
     * Ends the saga as failed. Its idempotency key goes with it, so a client retrying with the same key
     * gets a fresh attempt instead of a replayed failure.
     */
    async markFailed(id: string): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        const result = await tx
          .updateTable("orders")
          .set({ saga_state: "failed", recovery_lease_until: null, updated_at: clock() })
          .where("id", "=", id)
          .where("saga_state", "=", "reserving")
          .executeTakeFirst();
        await tx.deleteFrom("idempotency_keys").where("order_id", "=", id).execute();
        return result.numUpdatedRows > 0n;
      });
    },

    async list(filter: {
      userId?: string;
      status?: OrderStatus;
      page: number;
      limit: number;
    }): Promise<{ items: OrderRecord[]; total: number }> {
      let query = db.selectFrom("orders").where("saga_state", "=", "reserved");
      if (filter.userId) query = query.where("user_id", "=", filter.userId);
      if (filter.status) query = query.where("status", "=", filter.status);
      const [rows, count] = await Promise.all([
        query
          .selectAll()
          .orderBy("created_at", "desc")
          .orderBy("id")
          .limit(filter.limit)
          .offset((filter.page - 1) * filter.limit)
          .execute(),
        query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { items: await withItems(rows), total: Number(count.n) };
    },

    /**
     * Moves a visible order from one status to another only if nobody moved it first. Cancelling also
     * raises `release_pending` in the same statement, so the stock is returned even after a crash;
     * shipping raises `settle_pending` likewise, so the order's holds are dropped even after a crash.
     */
    async transition(id: string, from: OrderStatus, to: OrderStatus): Promise<OrderRecord | undefined> {
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable("orders")
          .set({ status: to, updated_at: clock(), ...pendingFlag(to) })
          .where("id", "=", id)
          .where("saga_state", "=", "reserved")
          .where("status", "=", from)
          .returningAll()
          .executeTakeFirst();
        return row ? (await withItems([row], tx))[0] : undefined;
      });
    },

    async markStockReleased(id: string): Promise<void> {
      await db
        .updateTable("orders")
        .set({ release_pending: false, stock_released_at: clock(), recovery_lease_until: null })
        .where("id", "=", id)
        .where("release_pending", "=", true)
        .execute();
    },

    async markStockSettled(id: string): Promise<void> {
      await db
        .updateTable("orders")
        .set({ settle_pending: false, stock_settled_at: clock(), recovery_lease_until: null })
        .where("id", "=", id)
        .where("settle_pending", "=", true)
        .execute();
    },

    /**
     * Claims up to `limit` sagas still "reserving" that were created before `olderThan`, by setting a
     * lease. SKIP LOCKED and the lease keep replicas from working on the same saga.
     */
    async claimUnfinishedSagas(olderThan: Date, leaseMs: number, limit: number): Promise<string[]> {
      return claim("saga", olderThan, leaseMs, limit);
    },

    /** Gives a claimed row back after a failed attempt, so the next pass (on any replica) retries it. */
    async dropLease(id: string): Promise<void> {
      await db.updateTable("orders").set({ recovery_lease_until: null }).where("id", "=", id).execute();
    },

    /** Claims cancelled orders whose stock release has not been confirmed yet. */
    async claimPendingReleases(olderThan: Date, leaseMs: number, limit: number): Promise<string[]> {
      return claim("release", olderThan, leaseMs, limit);
    },

    /** Claims shipped orders whose settle has not been confirmed yet. */
    async claimPendingSettles(olderThan: Date, leaseMs: number, limit: number): Promise<string[]> {
      return claim("settle", olderThan, leaseMs, limit);
    },
  });

  async function claim(kind: "saga" | "release" | "settle", olderThan: Date, leaseMs: number, limit: number) {
    const now = clock();
    return db.transaction().execute(async (tx) => {
      let candidates = tx
        .selectFrom("orders")
        .select("id")
        .where((eb) => eb.or([eb("recovery_lease_until", "is", null), eb("recovery_lease_until", "<", now)]));
      if (kind === "saga")
        candidates = candidates.where("saga_state", "=", "reserving").where("created_at", "<", olderThan);
      else
        candidates = candidates
          .where(kind === "release" ? "release_pending" : "settle_pending", "=", true)
          .where("updated_at", "<", olderThan);
      const rows = await candidates.orderBy("created_at").limit(limit).forUpdate().skipLocked().execute();
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      await tx
        .updateTable("orders")
        .set({ recovery_lease_until: new Date(now.getTime() + leaseMs) })
        .where("id", "in", ids)
        .execute();
      return ids;
    });
  }
}
