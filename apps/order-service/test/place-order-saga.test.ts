import { describe, expect, test } from "bun:test";
import type { Principal } from "@ecom/auth";
import { createMetrics } from "@ecom/observability";
import type { Clock } from "@ecom/service-kit";
import { createActiveUserCache } from "../src/clients/active-user-cache.ts";
import { createCatalogCache } from "../src/clients/catalog-cache.ts";
import { createOrderMetrics } from "../src/metrics/order-metrics.ts";
import { changeStatus } from "../src/saga/change-status.ts";
import { type PlaceOrderOptions, placeOrder } from "../src/saga/place-order.ts";
import { recoverSagas } from "../src/saga/recover-sagas.ts";
import type { CallContext, SagaClients, SagaDeps } from "../src/saga/saga-deps.ts";
import type { PlaceOrderBody } from "../src/schemas/order-schemas.ts";
import { createFakeCatalog, createFakeOrdersDb, createFakeUsers } from "./support/saga-fakes.ts";

/*
 * The real placing saga (and the recovery pass that settles what it leaves) over in-memory fakes of the
 * orders database and the product and user services: no database, no process, milliseconds. The
 * suites on real stores (orders-api, saga-recovery, late-reserve) prove the same rules end to end.
 */

const GRACE_MS = 10_000;
/** The client's deadline per call: what a reserve that never answers costs the request. */
const TIMEOUT_MS = 10;
const placing: PlaceOrderOptions = { idempotencyWaitMs: 20, idempotencyPollMs: 1 };
const ctx: CallContext = { requestId: "saga-test", log: { info: () => {}, warn: () => {} } };

const alice: Principal = { userId: crypto.randomUUID(), role: "customer" };
const bob: Principal = { userId: crypto.randomUUID(), role: "customer" };

const orderOf = (items: { productId: string; quantity: number }[]): PlaceOrderBody => ({
  items,
  shippingAddress: { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
  paymentMethod: "card",
});

/** A fresh world per test: empty stores, real caches and metrics, a clock that moves only when told. */
function setup() {
  let now = Date.parse("2030-01-01T00:00:00Z");
  const clock: Clock = { now: () => new Date(now) };
  const db = createFakeOrdersDb(clock);
  const catalog = createFakeCatalog({ timeoutMs: TIMEOUT_MS });
  const metrics = createMetrics("order-service");
  const deps: SagaDeps<SagaClients> = {
    orders: db.orders,
    idempotency: db.idempotency,
    clients: { users: createFakeUsers([alice.userId, bob.userId]), products: catalog.client },
    activeUsers: createActiveUserCache({ ttlMs: 60_000, maxEntries: 100, clock }),
    catalog: createCatalogCache({ ttlMs: 60_000, maxEntries: 100, clock }),
    metrics: createOrderMetrics(metrics),
    clock,
  };
  return {
    deps,
    db,
    catalog,
    product(fields: { priceCents: number; stock: number; name?: string }) {
      const id = crypto.randomUUID();
      catalog.put({ id, name: "Lamp", isActive: true, ...fields });
      return id;
    },
    place: (principal: Principal, body: PlaceOrderBody, idempotencyKey?: string) =>
      placeOrder(deps, placing, { principal, body, ...(idempotencyKey ? { idempotencyKey } : {}) }, ctx),
    recover: () => recoverSagas(deps, { graceMs: GRACE_MS, leaseMs: 5_000, idempotencyTtlHours: 24 }, ctx),
    /** Moves the saga's clock (grace periods, leases); the client's deadline runs on real time. */
    advance: (ms: number) => {
      now += ms;
    },
    /** A counter's value summed over the series whose labels include `labels`. */
    async count(name: string, labels: Record<string, string> = {}) {
      const metric = await metrics.registry.getSingleMetric(name)?.get();
      return (metric?.values ?? [])
        .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
        .reduce((sum, v) => sum + v.value, 0);
    },
  };
}

describe("Idempotency-Key", () => {
  test("the same key and body again returns the first order; the stock is taken once", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1999, stock: 10 });
    const body = orderOf([{ productId: lamp, quantity: 2 }]);

    const first = await s.place(alice, body, "key-1");
    const again = await s.place(alice, body, "key-1");

    expect(first.replayed).toBe(false);
    expect(first.order).toMatchObject({ sagaState: "reserved", status: "pending", totalCents: 3998n });
    expect(again).toEqual({ order: first.order, replayed: true });
    expect(s.catalog.stock(lamp)).toBe(8);
    expect(s.catalog.calls("reserve")).toBe(1);
    expect(s.db.rows()).toHaveLength(1);
    expect(await s.count("orders_placed_total")).toBe(1);
  });

  test("two requests racing with one key make one order: the loser of the key claim replays the winner", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1999, stock: 10 });
    const body = orderOf([{ productId: lamp, quantity: 2 }]);

    const [a, b] = await Promise.all([s.place(alice, body, "key-1"), s.place(alice, body, "key-1")]);

    expect(b.order.id).toBe(a.order.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    // Both priced the order before either held the key, so the claim, not the first look-up, decided.
    expect(s.catalog.calls("getMany")).toBe(2);
    expect(s.catalog.calls("reserve")).toBe(1);
    expect(s.catalog.stock(lamp)).toBe(8);
    expect(s.db.rows()).toHaveLength(1);
  });

  test("the same key with another body is IDEMPOTENCY_CONFLICT and moves nothing; keys are per user", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1999, stock: 10 });
    await s.place(alice, orderOf([{ productId: lamp, quantity: 1 }]), "key-1");

    await expect(s.place(alice, orderOf([{ productId: lamp, quantity: 2 }]), "key-1")).rejects.toMatchObject({
      status: 409,
      errorCode: "IDEMPOTENCY_CONFLICT",
    });
    expect(s.catalog.stock(lamp)).toBe(9);
    expect(s.db.rows()).toHaveLength(1);
    expect(await s.count("orders_rejected_total", { reason: "idempotency_conflict" })).toBe(1);

    const bobs = await s.place(bob, orderOf([{ productId: lamp, quantity: 2 }]), "key-1");
    expect(bobs.replayed).toBe(false);
    expect(s.catalog.stock(lamp)).toBe(7);
  });
});

describe("the catalog changes between pricing and reserving", () => {
  test("the saga prices again from a fresh read and records what the catalog says at reserve time", async () => {
    const s = setup();
    const lamp = s.product({ name: "Lamp", priceCents: 1000, stock: 10 });
    s.catalog.onReserve((nth) => {
      if (nth === 1) s.catalog.update(lamp, { priceCents: 1200 });
      if (nth === 2) s.catalog.update(lamp, { name: "Desk lamp" });
    });

    const { order } = await s.place(alice, orderOf([{ productId: lamp, quantity: 2 }]));

    expect(order.items).toMatchObject([{ productName: "Desk lamp", priceCents: 1200n, quantity: 2 }]);
    expect(order.totalCents).toBe(2400n);
    // Each refusal dropped the cached copy, so each round read the catalog again.
    expect(s.catalog.calls("getMany")).toBe(3);
    expect(s.db.rows().map((r) => r.sagaState)).toEqual(["failed", "failed", "reserved"]);
    expect(s.catalog.stock(lamp)).toBe(8);
  });

  test("a catalog that changes on every round: the saga gives up with 503, holding nothing, and frees the key", async () => {
    const s = setup();
    let price = 1000;
    const lamp = s.product({ priceCents: price, stock: 10 });
    s.catalog.onReserve(() => s.catalog.update(lamp, { priceCents: ++price }));
    const body = orderOf([{ productId: lamp, quantity: 2 }]);

    await expect(s.place(alice, body, "key-1")).rejects.toMatchObject({
      status: 503,
      errorCode: "DEPENDENCY_UNAVAILABLE",
      details: { dependency: "product-service" },
    });
    // place-order's MAX_ROUNDS rounds, each a saga written and failed.
    expect(s.catalog.calls("reserve")).toBe(5);
    expect(s.db.rows().map((r) => r.sagaState)).toEqual(Array(5).fill("failed"));
    expect(s.catalog.stock(lamp)).toBe(10);
    expect(await s.deps.idempotency.find(alice.userId, "key-1")).toBeUndefined();
    expect(await s.count("orders_rejected_total", { reason: "dependency_unavailable" })).toBe(1);

    // Once the catalog holds still, the same key is a fresh attempt rather than a replayed failure.
    s.catalog.onReserve(() => {});
    const retry = await s.place(alice, body, "key-1");
    expect(retry).toMatchObject({ replayed: false, order: { totalCents: BigInt(2 * price) } });
    expect(s.catalog.stock(lamp)).toBe(8);
  });
});

describe("not enough stock", () => {
  test("short on the catalog read: INSUFFICIENT_STOCK with the short line, before any saga is written", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1000, stock: 10 });
    const desk = s.product({ priceCents: 5000, stock: 1 });

    await expect(
      s.place(
        alice,
        orderOf([
          { productId: lamp, quantity: 2 },
          { productId: desk, quantity: 3 },
        ]),
      ),
    ).rejects.toMatchObject({
      status: 400,
      errorCode: "INSUFFICIENT_STOCK",
      details: [{ productId: desk, requested: 3, available: 1 }],
    });
    expect(s.catalog.calls("reserve")).toBe(0);
    expect(s.db.rows()).toHaveLength(0);
    expect(await s.count("orders_rejected_total", { reason: "insufficient_stock" })).toBe(1);
  });

  test("short only when reserving: no line is taken, the saga fails and its key is freed", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1000, stock: 10 });
    const desk = s.product({ priceCents: 5000, stock: 5 });
    // Another buyer took most of the desks after this order read the catalog.
    s.catalog.onReserve(() => s.catalog.update(desk, { stock: 1 }));

    await expect(
      s.place(
        alice,
        orderOf([
          { productId: lamp, quantity: 2 },
          { productId: desk, quantity: 3 },
        ]),
        "key-1",
      ),
    ).rejects.toMatchObject({
      status: 400,
      errorCode: "INSUFFICIENT_STOCK",
      details: [{ productId: desk, requested: 3, available: 1 }],
    });
    expect(s.catalog.stock(lamp)).toBe(10);
    expect(s.catalog.stock(desk)).toBe(1);
    const [saga] = s.db.rows();
    expect(saga?.sagaState).toBe("failed");
    expect(s.catalog.reservation(saga!.id)).toBe("released");
    expect(await s.deps.idempotency.find(alice.userId, "key-1")).toBeUndefined();
  });
});

describe("a reserve that never answers", () => {
  test("lost on its way: 503 at the deadline, the hidden saga waits for recovery, which rolls it back", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1000, stock: 10 });
    const body = orderOf([{ productId: lamp, quantity: 2 }]);
    s.catalog.failNext("reserve", "lose-request");

    await expect(s.place(alice, body, "key-1")).rejects.toMatchObject({
      status: 503,
      errorCode: "DEPENDENCY_UNAVAILABLE",
    });
    const [saga] = s.db.rows();
    expect(saga?.sagaState).toBe("reserving");
    expect(await s.deps.orders.findVisible(saga!.id)).toBeUndefined();
    expect(await s.count("orders_rejected_total", { reason: "dependency_unavailable" })).toBe(1);

    // A retry cannot know how the reserve ended: it waits, then asks to come back; it places nothing.
    await expect(s.place(alice, body, "key-1")).rejects.toMatchObject({
      status: 503,
      details: { reason: "IDEMPOTENT_REQUEST_IN_PROGRESS" },
    });
    expect(s.db.rows()).toHaveLength(1);

    // Within the grace period the request may still be running, so recovery only says when to return.
    s.advance(1);
    expect(await s.recover()).toMatchObject({ completed: 0, rolledBack: 0, nextInMs: GRACE_MS - 1 });
    s.advance(GRACE_MS);
    expect(await s.recover()).toMatchObject({ completed: 0, rolledBack: 1 });
    expect((await s.deps.orders.findById(saga!.id))?.sagaState).toBe("failed");
    // The catalog keeps a tombstone, so the lost reserve could never take stock if it arrived now.
    expect(s.catalog.reservation(saga!.id)).toBe("released");
    expect(s.catalog.stock(lamp)).toBe(10);

    const retry = await s.place(alice, body, "key-1");
    expect(retry.replayed).toBe(false);
    expect(retry.order.id).not.toBe(saga!.id);
    expect(s.catalog.stock(lamp)).toBe(8);
  });

  test("answer lost after the stock was taken: recovery completes the order and the key replays it", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1000, stock: 10 });
    const body = orderOf([{ productId: lamp, quantity: 2 }]);
    s.catalog.failNext("reserve", "lose-answer");

    await expect(s.place(alice, body, "key-1")).rejects.toMatchObject({ status: 503 });
    const [saga] = s.db.rows();
    expect(s.catalog.stock(lamp)).toBe(8);

    s.advance(GRACE_MS + 1);
    expect(await s.recover()).toMatchObject({ completed: 1, rolledBack: 0 });
    const retry = await s.place(alice, body, "key-1");
    expect(retry).toMatchObject({ replayed: true, order: { id: saga!.id, sagaState: "reserved" } });
    expect(s.catalog.calls("reserve")).toBe(1);
    expect(s.catalog.stock(lamp)).toBe(8);
    expect(await s.count("orders_placed_total")).toBe(1);
  });
});

describe("after placing", () => {
  test("a cancel gives the stock back exactly once, recovery finishing a release the catalog never heard", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1000, stock: 10 });
    const { order } = await s.place(alice, orderOf([{ productId: lamp, quantity: 3 }]));
    s.catalog.failNext("release", "lose-request");

    expect(await changeStatus(s.deps, order, "cancelled", ctx)).toMatchObject({
      status: "cancelled",
      releasePending: true,
    });
    expect(s.catalog.stock(lamp)).toBe(7);

    s.advance(GRACE_MS + 1);
    expect(await s.recover()).toMatchObject({ releasesFinished: 1, errors: 0 });
    expect(s.catalog.stock(lamp)).toBe(10);
    expect(await s.recover()).toMatchObject({ releasesFinished: 0 });
    expect(s.catalog.stock(lamp)).toBe(10);
  });

  test("shipping settles the reservation: the stock stays sold", async () => {
    const s = setup();
    const lamp = s.product({ priceCents: 1000, stock: 10 });
    const { order } = await s.place(alice, orderOf([{ productId: lamp, quantity: 3 }]));

    const confirmed = await changeStatus(s.deps, order, "confirmed", ctx);
    await changeStatus(s.deps, confirmed, "shipped", ctx);

    expect(await s.deps.orders.findVisible(order.id)).toMatchObject({
      status: "shipped",
      settlePending: false,
    });
    expect(s.catalog.reservation(order.id)).toBe("settled");
    expect(s.catalog.stock(lamp)).toBe(7);
  });
});
