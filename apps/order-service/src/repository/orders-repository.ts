import type { Clock } from "@ecom/service-kit";
import { type Kysely, type Selectable, sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type {
  OrderItemsTable,
  OrderStatus,
  OrdersDatabase,
  OrdersTable,
  SagaState,
  ShippingAddressRow,
} from "./tables.ts";
import { ordersDb } from "./tables.ts";

type OrderRow = Selectable<OrdersTable>;
/** The columns a line's record is made of (all `completeReserved` selects into its JSON). */
type OrderItemRow = Pick<
  Selectable<OrderItemsTable>,
  "product_id" | "product_name" | "quantity" | "price_cents"
>;

/** One line of an order, in line order: the product's name and price as the order was placed. */
export type OrderLine = { productId: string; productName: string; quantity: number; priceCents: bigint };

/** A stored order with its lines, whatever its saga state; routes and views see this, never a row. */
export type OrderRecord = {
  id: string;
  userId: string;
  status: OrderStatus;
  sagaState: SagaState;
  totalCents: bigint;
  shippingAddress: ShippingAddressRow;
  paymentMethod: string;
  idempotencyKey: string | null;
  releasePending: boolean;
  stockReleasedAt: Date | null;
  settlePending: boolean;
  stockSettledAt: Date | null;
  recoveryLeaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  items: OrderLine[];
};

// Cents arrive as BIGINT text and become bigint here, so they are exact and integers inside the service.
const toLine = (item: OrderItemRow): OrderLine => ({
  productId: item.product_id,
  productName: item.product_name,
  quantity: item.quantity,
  priceCents: BigInt(item.price_cents),
});

const toRecord = (row: OrderRow, items: OrderItemRow[]): OrderRecord => ({
  id: row.id,
  userId: row.user_id,
  status: row.status,
  sagaState: row.saga_state,
  totalCents: BigInt(row.total_cents),
  shippingAddress: row.shipping_address,
  paymentMethod: row.payment_method,
  idempotencyKey: row.idempotency_key,
  releasePending: row.release_pending,
  stockReleasedAt: row.stock_released_at,
  settlePending: row.settle_pending,
  stockSettledAt: row.stock_settled_at,
  recoveryLeaseUntil: row.recovery_lease_until,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  items: items.map(toLine),
});

export type NewOrder = {
  id: string;
  userId: string;
  totalCents: bigint;
  shippingAddress: ShippingAddressRow;
  paymentMethod: string;
  items: { productId: string; productName: string; quantity: number; priceCents: number }[];
  idempotency?: { userId: string; key: string; requestHash: string };
};

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

/** The three kinds of unfinished work recovery claims: placing sagas, releases and settles. */
export type RecoveryKind = "saga" | "release" | "settle";
/** A row recovery holds until `leaseUntil`. */
export type Claim = { id: string; leaseUntil: Date };

const pendingColumn = { release: "release_pending", settle: "settle_pending" } as const;

/** The follow-up a status change owes the product service, raised in the same write as the status. */
function pendingFlag(to: OrderStatus) {
  if (to === "cancelled") return { release_pending: true };
  if (to === "shipped") return { settle_pending: true };
  return {};
}

export function createOrdersRepository(db: Kysely<OrdersDatabase>, clock: Clock) {
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
    return rows.map((row) =>
      toRecord(
        row,
        items.filter((i) => i.order_id === row.id),
      ),
    );
  }

  async function findById(id: string, tx: Kysely<OrdersDatabase> = db): Promise<OrderRecord | undefined> {
    const row = await tx.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? (await withItems([row], tx))[0] : undefined;
  }

  return ordersDb.withErrors({
    findById,

    /** Only orders whose stock was reserved exist for users; the rest are saga bookkeeping. */
    async findVisible(id: string): Promise<OrderRecord | undefined> {
      const order = await findById(id);
      return order?.sagaState === "reserved" ? order : undefined;
    },

    /**
     * Writes the order, its lines and the idempotency key in one statement (atomic on its own, one
     * round trip), before any stock is touched, so a crash at any later point leaves a row recovery can
     * find. The key is inserted first with ON CONFLICT DO NOTHING and the order only from its returned
     * row: a concurrent insert of the same key waits for the first one and then writes nothing.
     * Returns false when the key is already held by another order (the caller then replays that one).
     */
    async insertReserving(order: NewOrder): Promise<boolean> {
      const now = clock.now();
      const orderValues = sql`${order.id}::uuid, ${order.userId}::uuid, 'pending', 'reserving',
        ${order.totalCents}::bigint, ${JSON.stringify(order.shippingAddress)}::jsonb, ${order.paymentMethod}::text,
        ${order.idempotency?.key ?? null}::text, ${now}::timestamptz, ${now}::timestamptz`;
      const orderColumns = sql`(id, user_id, status, saga_state, total_cents, shipping_address, payment_method,
        idempotency_key, created_at, updated_at)`;
      const keyed = order.idempotency;
      const insertOrder = keyed
        ? sql`key_row AS (
            INSERT INTO idempotency_keys (user_id, key, request_hash, order_id, created_at)
            VALUES (${keyed.userId}::uuid, ${keyed.key}::text, ${keyed.requestHash}::text, ${order.id}::uuid,
              ${now}::timestamptz)
            ON CONFLICT (user_id, key) DO NOTHING
            RETURNING order_id
          ),
          order_row AS (
            INSERT INTO orders ${orderColumns} SELECT ${orderValues} FROM key_row RETURNING id
          )`
        : sql`order_row AS (INSERT INTO orders ${orderColumns} VALUES (${orderValues}) RETURNING id)`;
      const lines = sql.join(
        order.items.map(
          (item, index) =>
            sql`(${index + 1}::integer, ${item.productId}::uuid, ${item.productName}::text,
              ${item.quantity}::integer, ${BigInt(item.priceCents)}::bigint)`,
        ),
      );
      // Lines hang off order_row's output, so nothing is written when the key was taken.
      const result = await sql<{ id: string }>`
        WITH ${insertOrder},
        line_rows AS (
          INSERT INTO order_items (order_id, line_no, product_id, product_name, quantity, price_cents)
          SELECT order_row.id, l.line_no, l.product_id, l.product_name, l.quantity, l.price_cents
          FROM order_row, (VALUES ${lines}) AS l (line_no, product_id, product_name, quantity, price_cents)
        )
        SELECT id FROM order_row`.execute(db);
      return result.rows.length > 0;
    },

    /**
     * Ends the saga successfully and returns the order with its lines, in one statement. Undefined when
     * the saga was no longer "reserving" (recovery settled it meanwhile); the caller then reads the row.
     */
    async completeReserved(id: string): Promise<OrderRecord | undefined> {
      const row = await db
        .with("done", (qb) =>
          qb
            .updateTable("orders")
            .set({ saga_state: "reserved", recovery_lease_until: null, updated_at: clock.now() })
            .where("id", "=", id)
            .where("saga_state", "=", "reserving")
            .returningAll(),
        )
        .selectFrom("done")
        .selectAll()
        .select((eb) =>
          jsonArrayFrom(
            eb
              .selectFrom("order_items")
              .select([
                "product_id",
                "product_name",
                "quantity",
                // BIGINT as text inside JSON too, so cents are never rounded.
                sql<string>`price_cents::text`.as("price_cents"),
              ])
              .whereRef("order_items.order_id", "=", "done.id")
              .orderBy("line_no"),
          ).as("items"),
        )
        .executeTakeFirst();
      if (!row) return undefined;
      const { items, ...order } = row;
      return toRecord(order, items);
    },

    /** Ends the saga successfully; false if recovery already settled it. */
    async markReserved(id: string): Promise<boolean> {
      const result = await db
        .updateTable("orders")
        .set({ saga_state: "reserved", recovery_lease_until: null, updated_at: clock.now() })
        .where("id", "=", id)
        .where("saga_state", "=", "reserving")
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /**
     * Ends the saga as failed. Its idempotency key goes with it, so a client retrying with the same key
     * gets a fresh attempt instead of a replayed failure, but only when this call is what failed the
     * saga: one statement deletes the key only for a row its update changed. A saga completed
     * meanwhile keeps its key, so a retry replays that order instead of placing a second one.
     */
    async markFailed(id: string): Promise<boolean> {
      const result = await sql<{ id: string }>`
        WITH failed AS (
          UPDATE orders SET saga_state = 'failed', recovery_lease_until = NULL, updated_at = ${clock.now()}::timestamptz
          WHERE id = ${id}::uuid AND saga_state = 'reserving'
          RETURNING id
        ),
        dropped AS (DELETE FROM idempotency_keys WHERE order_id IN (SELECT id FROM failed))
        SELECT id FROM failed`.execute(db);
      return result.rows.length > 0;
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
          .set({ status: to, updated_at: clock.now(), ...pendingFlag(to) })
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
        .set({ release_pending: false, stock_released_at: clock.now(), recovery_lease_until: null })
        .where("id", "=", id)
        .where("release_pending", "=", true)
        .execute();
    },

    async markStockSettled(id: string): Promise<void> {
      await db
        .updateTable("orders")
        .set({ settle_pending: false, stock_settled_at: clock.now(), recovery_lease_until: null })
        .where("id", "=", id)
        .where("settle_pending", "=", true)
        .execute();
    },

    /**
     * Claims one row of recovery work by setting a lease on it: a saga still "reserving" created before
     * `olderThan`, or a cancelled (shipped) order whose release (settle) is unconfirmed and was last
     * changed before it. SKIP LOCKED and the lease keep replicas from working on the same row; one row
     * at a time, so a crash strands only the row being worked on, for at most its lease.
     */
    async claimNext(kind: RecoveryKind, olderThan: Date, leaseMs: number): Promise<Claim | undefined> {
      const now = clock.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      let candidate = db
        .selectFrom("orders")
        .select("id")
        .where((eb) => eb.or([eb("recovery_lease_until", "is", null), eb("recovery_lease_until", "<", now)]));
      candidate =
        kind === "saga"
          ? candidate.where("saga_state", "=", "reserving").where("created_at", "<", olderThan)
          : candidate.where(pendingColumn[kind], "=", true).where("updated_at", "<", olderThan);
      const row = await db
        .updateTable("orders")
        .set({ recovery_lease_until: leaseUntil })
        .where("id", "=", candidate.orderBy("created_at").limit(1).forUpdate().skipLocked())
        .returning("id")
        .executeTakeFirst();
      return row ? { id: row.id, leaseUntil } : undefined;
    },

    /**
     * Gives a claimed row back, whatever the step's outcome, so the next pass (on any replica) can take
     * it at once. Only the claim's own lease is dropped: one that ran out and was claimed again is left.
     */
    async dropLease(claim: Claim): Promise<void> {
      await db
        .updateTable("orders")
        .set({ recovery_lease_until: null })
        .where("id", "=", claim.id)
        .where("recovery_lease_until", "=", claim.leaseUntil)
        .execute();
    },

    /**
     * The earliest moment after `now` at which some row becomes claimable: a young saga or an
     * unconfirmed release or settle leaving its grace period, or a lease running out. Undefined when
     * nothing is waiting. Lets recovery come back exactly then instead of at its next regular tick.
     */
    async nextClaimableAt(graceMs: number): Promise<Date | undefined> {
      const now = clock.now();
      const grace = sql`${graceMs}::integer * interval '1 millisecond'`;
      const due = (since: "created_at" | "updated_at") =>
        sql`GREATEST(${sql.ref(since)} + ${grace}, COALESCE(recovery_lease_until, '-infinity'::timestamptz))`;
      const result = await sql<{ at: Date | null }>`
        SELECT MIN(at) AS at FROM (
          SELECT ${due("created_at")} AS at FROM orders WHERE saga_state = 'reserving'
          UNION ALL SELECT ${due("updated_at")} FROM orders WHERE release_pending = true
          UNION ALL SELECT ${due("updated_at")} FROM orders WHERE settle_pending = true
        ) AS pending
        WHERE at > ${now}::timestamptz`.execute(db);
      return result.rows[0]?.at ?? undefined;
    },
  });
}
