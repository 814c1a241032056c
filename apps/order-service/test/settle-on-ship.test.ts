import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mongoose from "mongoose";
import {
  type Customer,
  type Dependencies,
  type OrderApp,
  orderBody,
  startDependencies,
  startOrderApp,
} from "./support/stack.ts";

let deps: Dependencies;
let orders: OrderApp;
let alice: Customer;
/** Straight to the product service's database: holds are internal and never leave the service. */
let catalog: mongoose.Connection;

beforeAll(async () => {
  deps = await startDependencies();
  orders = await startOrderApp(deps, { timeoutMs: 3_000 });
  alice = await deps.register();
  catalog = await mongoose.createConnection(deps.mongo.url, { dbName: "products_db" }).asPromise();
});
afterAll(async () => {
  await catalog?.close();
  await orders?.close();
  await deps?.stop();
});

type ProductDoc = { _id: string; holdsByOrder?: Record<string, number> };
const holdersOf = async (productId: string) =>
  Object.keys(
    (await catalog.collection<ProductDoc>("products").findOne({ _id: productId }))?.holdsByOrder ?? {},
  );

const setStatus = (id: string, status: string) =>
  orders.call("PATCH", `/api/orders/${id}/status`, { token: deps.adminToken, body: { status } });
const row = (id: string) => orders.sagaDeps.orders.findById(id);

/** Two products with stock 10; a confirmed order for 2 + 3 of them and another order for 1 of each. */
async function confirmedOrder() {
  const a = await deps.createProduct(5, 10);
  const b = await deps.createProduct(7, 10);
  const placed = await orders.call("POST", "/api/orders", {
    token: alice.token,
    body: orderBody([
      { productId: a, quantity: 2 },
      { productId: b, quantity: 3 },
    ]),
  });
  expect(placed.status).toBe(201);
  const other = await orders.call("POST", "/api/orders", {
    token: alice.token,
    body: orderBody([
      { productId: a, quantity: 1 },
      { productId: b, quantity: 1 },
    ]),
  });
  expect(other.status).toBe(201);
  const id = placed.body.id as string;
  expect((await setStatus(id, "confirmed")).status).toBe(200);
  expect(await holdersOf(a)).toContain(id);
  return { a, b, id, otherId: other.body.id as string };
}

describe("shipping settles the order's stock", () => {
  test("the product documents drop the order's holds; stock stays taken; later steps are unchanged", async () => {
    const { a, b, id, otherId } = await confirmedOrder();
    const shipped = await setStatus(id, "shipped");
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe("shipped");
    expect([await holdersOf(a), await holdersOf(b)]).toEqual([[otherId], [otherId]]);
    expect([(await deps.product(a)).stock, (await deps.product(b)).stock]).toEqual([7, 6]);
    const stored = await row(id);
    expect(stored?.settlePending).toBe(false);
    expect(stored?.stockSettledAt).toBeInstanceOf(Date);

    expect((await setStatus(id, "delivered")).status).toBe(200);
    expect((await setStatus(id, "cancelled")).status).toBe(409);
    orders.advanceClock(60_000);
    expect((await orders.recover({ graceMs: 0 })).settlesFinished).toBe(0);
    expect([(await deps.product(a)).stock, (await deps.product(b)).stock]).toEqual([7, 6]);
  });

  test("while the product service is down: 200 shipped, and recovery settles it once it is back", async () => {
    const { a, b, id, otherId } = await confirmedOrder();
    await deps.stopProducts();
    let shipped: Awaited<ReturnType<typeof setStatus>>;
    try {
      shipped = await setStatus(id, "shipped");
      expect((await row(id))?.settlePending).toBe(true);
      orders.advanceClock(60_000);
      const whileDown = await orders.recover({ graceMs: 0 });
      expect(whileDown.errors).toBeGreaterThan(0);
      expect(whileDown.settlesFinished).toBe(0);
    } finally {
      await deps.restartProducts();
    }
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe("shipped");
    expect(await holdersOf(a)).toContain(id);
    expect((await row(id))?.settlePending).toBe(true);

    orders.advanceClock(60_000);
    expect((await orders.recover({ graceMs: 0 })).settlesFinished).toBe(1);
    expect([await holdersOf(a), await holdersOf(b)]).toEqual([[otherId], [otherId]]);
    expect([(await deps.product(a)).stock, (await deps.product(b)).stock]).toEqual([7, 6]);
    expect((await row(id))?.settlePending).toBe(false);
    orders.advanceClock(60_000);
    expect((await orders.recover({ graceMs: 0 })).settlesFinished).toBe(0);
    // Recovery counts each outcome before it returns its report: nothing left to wait for.
    const metrics = await (await orders.app.handle(new Request("http://localhost/metrics"))).text();
    expect(metrics).toMatch(/saga_recoveries_total\{outcome="settle_finished"[^}]*\} 1\n/);
  });

  test("recovery counts a settled reservation as taken: a stuck saga with one is completed", async () => {
    const p = await deps.createProduct(5, 10);
    const orderId = crypto.randomUUID();
    await orders.sagaDeps.orders.insertReserving({
      id: orderId,
      userId: alice.userId,
      totalCents: 500n,
      shippingAddress: { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
      paymentMethod: "card",
      items: [{ productId: p, productName: "x", quantity: 1, priceCents: 500 }],
    });
    const products = orders.sagaDeps.clients.products.withRequestId(crypto.randomUUID());
    expect(await products.reserve.mutate({ orderId, items: [{ productId: p, quantity: 1 }] })).toMatchObject({
      ok: true,
    });
    expect(await products.settle.mutate({ orderId })).toEqual({ status: "settled" });
    expect(await products.getReservation.query({ orderId })).toEqual({ status: "settled" });

    orders.advanceClock(60_000);
    const report = await orders.recover({ graceMs: 0 });
    expect(report.completed).toBe(1);
    expect(report.rolledBack).toBe(0);
    expect((await row(orderId))?.sagaState).toBe("reserved");
    expect((await deps.product(p)).stock).toBe(9);
  });
});
