import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createDatabase, migrateToLatest } from "@ecom/db";
import { type PostgresServer, startPostgres } from "@ecom/test-harness";
import { sql } from "kysely";
import { migrations } from "../src/migrations/index.ts";
import { createIdempotencyRepository } from "../src/repository/idempotency-repository.ts";
import { createOrdersRepository, type NewOrder } from "../src/repository/orders-repository.ts";
import type { OrdersDatabase } from "../src/repository/tables.ts";
import { freshOrdersDatabase, manualClock } from "./support/database.ts";

let server: PostgresServer;
let database: Awaited<ReturnType<typeof freshOrdersDatabase>>;
const clock = manualClock();

beforeAll(async () => {
  server = await startPostgres();
  database = await freshOrdersDatabase(server);
});
afterAll(async () => {
  await database?.close();
  await server?.stop();
});

const repo = () => createOrdersRepository(database.db, clock);
/** Ends every open saga and follow-up, so a claim test sees only the rows it writes. */
async function clearOrders() {
  await database.db
    .updateTable("orders")
    .set({ saga_state: "failed" })
    .where("saga_state", "=", "reserving")
    .execute();
  await database.db.updateTable("orders").set({ release_pending: false, settle_pending: false }).execute();
}
const userId = crypto.randomUUID();

function newOrder(overrides: Partial<NewOrder> = {}): NewOrder {
  return {
    id: crypto.randomUUID(),
    userId,
    totalCents: 3998n,
    shippingAddress: { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
    paymentMethod: "card",
    items: [{ productId: crypto.randomUUID(), productName: "Mug", quantity: 2, priceCents: 1999 }],
    ...overrides,
  };
}

describe("migrations", () => {
  test("create the three tables with their keys", async () => {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
      database.db,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["idempotency_keys", "order_items", "orders"]),
    );
  });

  test("0002 marks orders shipped or delivered before it for settling, and no others", async () => {
    const url = await server.createDatabase();
    const old = createDatabase<OrdersDatabase>({ url, dataDir: "" });
    try {
      await migrateToLatest(old.db as never, { "0001-create-orders": migrations["0001-create-orders"]! });
      const before = createOrdersRepository(old.db, clock);
      const ids = new Map<string, string>();
      for (const status of ["pending", "shipped", "delivered", "cancelled"] as const) {
        const order = newOrder();
        await before.insertReserving(order);
        await before.markReserved(order.id);
        await sql`update orders set status = ${status} where id = ${order.id}`.execute(old.db);
        ids.set(status, order.id);
      }
      await migrateToLatest(old.db as never, migrations);
      const { rows } = await sql<{ id: string; settle_pending: boolean }>`
        select id, settle_pending from orders`.execute(old.db);
      const pending = rows.filter((r) => r.settle_pending).map((r) => r.id);
      expect(pending.sort()).toEqual([ids.get("shipped"), ids.get("delivered")].sort() as string[]);
    } finally {
      await old.close();
    }
  });

  test("the database itself refuses a quantity outside 1..100", async () => {
    const order = newOrder();
    await repo().insertReserving(order);
    await expect(
      database.db
        .insertInto("order_items")
        .values({
          order_id: order.id,
          line_no: 9,
          product_id: crypto.randomUUID(),
          product_name: "x",
          quantity: 0,
          price_cents: 1n,
        })
        .execute(),
    ).rejects.toThrow();
  });
});

describe("orders repository", () => {
  test("a reserving order is invisible until marked reserved, and keeps exact cents", async () => {
    const order = newOrder({ totalCents: 900719925474099n });
    expect(await repo().insertReserving(order)).toBe(true);
    expect(await repo().findVisible(order.id)).toBeUndefined();
    expect(await repo().markReserved(order.id)).toBe(true);
    expect(await repo().markReserved(order.id)).toBe(false);
    const found = await repo().findVisible(order.id);
    expect(found?.totalCents).toBe(900719925474099n);
    expect(found?.items).toEqual([
      { productId: order.items[0]!.productId, productName: "Mug", quantity: 2, priceCents: 1999n },
    ]);
    expect(found?.shippingAddress).toEqual(order.shippingAddress);
  });

  test("a failed saga loses its idempotency key and never becomes visible", async () => {
    const order = newOrder({ idempotency: { userId, key: "fail-key", requestHash: "h" } });
    await repo().insertReserving(order);
    const keys = createIdempotencyRepository(database.db);
    expect((await keys.find(userId, "fail-key"))?.orderId).toBe(order.id);
    expect(await repo().markFailed(order.id)).toBe(true);
    expect(await keys.find(userId, "fail-key")).toBeUndefined();
    expect(await repo().markReserved(order.id)).toBe(false);
    expect(await repo().findVisible(order.id)).toBeUndefined();
  });

  test("markFailed keeps the key of a saga that was completed meanwhile", async () => {
    const order = newOrder({ idempotency: { userId, key: "completed-key", requestHash: "h" } });
    await repo().insertReserving(order);
    expect(await repo().markReserved(order.id)).toBe(true);
    expect(await repo().markFailed(order.id)).toBe(false);
    const keys = createIdempotencyRepository(database.db);
    expect((await keys.find(userId, "completed-key"))?.orderId).toBe(order.id);
    expect((await repo().findVisible(order.id))?.sagaState).toBe("reserved");
  });

  test("completing a saga returns the order and its lines as findById does, only once", async () => {
    const order = newOrder({
      totalCents: 900719925474099n,
      items: [
        { productId: crypto.randomUUID(), productName: "Mug", quantity: 2, priceCents: 1999 },
        { productId: crypto.randomUUID(), productName: "Pot", quantity: 1, priceCents: 900719925470101 },
      ],
    });
    await repo().insertReserving(order);
    const completed = await repo().completeReserved(order.id);
    expect(completed?.sagaState).toBe("reserved");
    expect(completed).toEqual((await repo().findById(order.id)) as never);
    expect(completed?.items.map((i) => [i.productName, i.priceCents])).toEqual([
      ["Mug", 1999n],
      ["Pot", 900719925470101n],
    ]);
    expect(await repo().completeReserved(order.id)).toBeUndefined();

    const failed = newOrder();
    await repo().insertReserving(failed);
    await repo().markFailed(failed.id);
    expect(await repo().completeReserved(failed.id)).toBeUndefined();
  });

  test("an insert whose line is refused writes neither the order nor its key", async () => {
    const order = newOrder({
      idempotency: { userId, key: "bad-line", requestHash: "h" },
      items: [
        { productId: crypto.randomUUID(), productName: "Mug", quantity: 2, priceCents: 1999 },
        { productId: crypto.randomUUID(), productName: "Pot", quantity: 0, priceCents: 1 },
      ],
    });
    await expect(repo().insertReserving(order)).rejects.toThrow();
    expect(await repo().findById(order.id)).toBeUndefined();
    expect(await createIdempotencyRepository(database.db).find(userId, "bad-line")).toBeUndefined();
  });

  test("a second insert with a taken key rolls back completely", async () => {
    const first = newOrder({ idempotency: { userId, key: "dup", requestHash: "h" } });
    const second = newOrder({ idempotency: { userId, key: "dup", requestHash: "h" } });
    const results = await Promise.all([repo().insertReserving(first), repo().insertReserving(second)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const loser = results[0] ? second : first;
    expect(await repo().findById(loser.id)).toBeUndefined();
    const lines = await database.db
      .selectFrom("order_items")
      .select("order_id")
      .where("order_id", "=", loser.id)
      .execute();
    expect(lines).toEqual([]);
  });

  test("transitions are conditional on the status read, and a cancel raises release_pending", async () => {
    const order = newOrder();
    await repo().insertReserving(order);
    await repo().markReserved(order.id);
    const cancelled = await repo().transition(order.id, "pending", "cancelled");
    expect(cancelled?.status).toBe("cancelled");
    expect(cancelled?.releasePending).toBe(true);
    expect(await repo().transition(order.id, "pending", "cancelled")).toBeUndefined();
    await repo().markStockReleased(order.id);
    const released = await repo().findById(order.id);
    expect(released?.releasePending).toBe(false);
    expect(released?.stockReleasedAt).toBeInstanceOf(Date);
  });

  test("shipping raises settle_pending in the same write; recovery claims it until it is confirmed", async () => {
    const order = newOrder();
    await repo().insertReserving(order);
    await repo().markReserved(order.id);
    await repo().transition(order.id, "pending", "confirmed");
    const shipped = await repo().transition(order.id, "confirmed", "shipped");
    expect(shipped?.settlePending).toBe(true);
    expect(shipped?.releasePending).toBe(false);
    clock.advance(60_000);
    const cutoff = new Date(clock.now().getTime() - 10_000);
    expect(await repo().claimNext("release", cutoff, 30_000)).toBeUndefined();
    expect((await repo().claimNext("settle", cutoff, 30_000))?.id).toBe(order.id);
    await repo().markStockSettled(order.id);
    const settled = await repo().findById(order.id);
    expect(settled?.settlePending).toBe(false);
    expect(settled?.stockSettledAt).toBeInstanceOf(Date);
    expect(settled?.recoveryLeaseUntil).toBeNull();
    clock.advance(60_000);
    expect(await repo().claimNext("settle", clock.now(), 30_000)).toBeUndefined();
  });

  test("list shows only reserved orders, filtered and paged", async () => {
    const owner = crypto.randomUUID();
    for (let i = 0; i < 3; i++) {
      const order = newOrder({ userId: owner });
      await repo().insertReserving(order);
      await repo().markReserved(order.id);
      clock.advance(1000);
    }
    await repo().insertReserving(newOrder({ userId: owner }));
    const page = await repo().list({ userId: owner, page: 1, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]!.createdAt.getTime()).toBeGreaterThan(page.items[1]!.createdAt.getTime());
    expect((await repo().list({ userId: owner, status: "cancelled", page: 1, limit: 10 })).total).toBe(0);
  });

  test("recovery claims old unfinished sagas one at a time, once per lease", async () => {
    await clearOrders();
    const old = newOrder();
    await repo().insertReserving(old);
    clock.advance(1_000);
    const older = newOrder();
    await repo().insertReserving(older);
    clock.advance(60_000);
    const young = newOrder();
    await repo().insertReserving(young);
    const cutoff = new Date(clock.now().getTime() - 10_000);
    const first = await repo().claimNext("saga", cutoff, 30_000);
    const second = await repo().claimNext("saga", cutoff, 30_000);
    expect([first?.id, second?.id]).toEqual([old.id, older.id]);
    expect(first?.leaseUntil).toEqual(new Date(clock.now().getTime() + 30_000));
    // The young one is not old enough, the others are leased.
    expect(await repo().claimNext("saga", cutoff, 30_000)).toBeUndefined();
    clock.advance(31_000);
    expect((await repo().claimNext("saga", cutoff, 30_000))?.id).toBe(old.id);
  });

  test("a claim given back is claimable at once; a lease claimed again by another is left alone", async () => {
    await clearOrders();
    const order = newOrder();
    await repo().insertReserving(order);
    clock.advance(60_000);
    const cutoff = clock.now();
    const mine = await repo().claimNext("saga", cutoff, 30_000);
    expect(mine?.id).toBe(order.id);
    await repo().dropLease(mine!);
    const again = await repo().claimNext("saga", cutoff, 30_000);
    expect(again?.id).toBe(order.id);
    // The lease ran out and another replica claimed the row: the late give-back must not free it.
    clock.advance(31_000);
    const theirs = await repo().claimNext("saga", clock.now(), 30_000);
    expect(theirs?.id).toBe(order.id);
    await repo().dropLease(again!);
    expect((await repo().findById(order.id))?.recoveryLeaseUntil).toEqual(theirs!.leaseUntil);
  });

  test("nextClaimableAt names when a young saga leaves its grace or a lease runs out", async () => {
    await clearOrders();
    expect(await repo().nextClaimableAt(10_000)).toBeUndefined();
    const young = newOrder();
    await repo().insertReserving(young);
    const created = clock.now().getTime();
    expect(await repo().nextClaimableAt(10_000)).toEqual(new Date(created + 10_000));
    clock.advance(20_000);
    // Claimable now: nothing waits in the future.
    expect(await repo().nextClaimableAt(10_000)).toBeUndefined();
    const claim = await repo().claimNext("saga", clock.now(), 5_000);
    expect(await repo().nextClaimableAt(10_000)).toEqual(claim!.leaseUntil);
    await repo().markFailed(young.id);
    expect(await repo().nextClaimableAt(10_000)).toBeUndefined();
  });

  test("idempotency keys older than the cut-off are deleted", async () => {
    const order = newOrder({ idempotency: { userId, key: "old-key", requestHash: "h" } });
    await repo().insertReserving(order);
    const keys = createIdempotencyRepository(database.db);
    await keys.deleteOlderThan(new Date(clock.now().getTime() - 1));
    expect(await keys.find(userId, "old-key")).toBeDefined();
    expect(await keys.deleteOlderThan(new Date(clock.now().getTime() + 1))).toBe(1);
    expect(await keys.find(userId, "old-key")).toBeUndefined();
  });
});
