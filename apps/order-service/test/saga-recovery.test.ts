import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFaultProxy } from "./support/fault-proxy.ts";
import {
  type Customer,
  type Dependencies,
  type Json,
  type OrderApp,
  orderBody,
  startDependencies,
  startOrderApp,
} from "./support/stack.ts";

let deps: Dependencies;
let proxy: ReturnType<typeof startFaultProxy>;
let orders: OrderApp;
let alice: Customer;

beforeAll(async () => {
  deps = await startDependencies();
  proxy = startFaultProxy(deps.productUrl);
  orders = await startOrderApp(deps, { productUrl: proxy.url, timeoutMs: 3_000, idempotencyWaitMs: 300 });
  alice = await deps.register();
});
afterAll(async () => {
  proxy?.stop();
  await orders?.close();
  await deps?.stop();
});

const place = (body: unknown, headers: Record<string, string> = {}) =>
  orders.call("POST", "/api/orders", { token: alice.token, body, headers });
const errorCode = (body: Json) => (body.error as { code: string }).code;
const sagaState = async (id: string) => (await orders.sagaDeps.orders.findById(id))?.sagaState;
const onlyReservingSaga = async () => {
  const rows = await orders.database.db
    .selectFrom("orders")
    .select("id")
    .where("saga_state", "=", "reserving")
    .execute();
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
};

describe("the product service is down", () => {
  test("placing is 503 DEPENDENCY_UNAVAILABLE and leaves nothing behind; it works again after a restart", async () => {
    const p = await deps.createProduct(5, 10);
    await deps.stopProducts();
    try {
      const res = await place(orderBody([{ productId: p, quantity: 1 }]));
      expect(res.status).toBe(503);
      expect(errorCode(res.body)).toBe("DEPENDENCY_UNAVAILABLE");
      expect((res.body.error as Json).details).toEqual({ dependency: "product-service" });
    } finally {
      await deps.restartProducts();
    }
    expect((await place(orderBody([{ productId: p, quantity: 1 }]))).status).toBe(201);
    expect((await deps.product(p)).stock).toBe(9);
    // Failed calls and refused orders are counted before the request answers.
    const metrics = await (await orders.app.handle(new Request("http://localhost/metrics"))).text();
    expect(metrics).toMatch(/dependency_call_failures_total\{[^}]*procedure="getMany"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/orders_rejected_total\{[^}]*reason="dependency_unavailable"[^}]*\} [1-9]/);
  });

  test("a reserve that never reached the catalog is rolled back by recovery once the service is back", async () => {
    const p = await deps.createProduct(5, 10);
    proxy.setMode("hold");
    const res = await place(orderBody([{ productId: p, quantity: 2 }]));
    expect(res.status).toBe(503);
    const orderId = await onlyReservingSaga();
    expect((await orders.call("GET", `/api/orders/${orderId}`, { token: alice.token })).status).toBe(404);

    await deps.stopProducts();
    proxy.setMode("pass");
    const whileDown = await orders.recover({ graceMs: 0 });
    expect(whileDown.errors).toBeGreaterThan(0);
    expect(await sagaState(orderId)).toBe("reserving");

    await deps.restartProducts();
    const report = await orders.recover({ graceMs: 0 });
    expect(report.rolledBack).toBe(1);
    expect(await sagaState(orderId)).toBe("failed");
    expect((await deps.product(p)).stock).toBe(10);
    expect(await orders.sagaDeps.orders.claimNext("saga", new Date(Date.now() + 60_000), 1)).toBeUndefined();
  });
});

describe("the user service is down", () => {
  test("placing for a user not found active in the last few seconds is 503 naming the user service, and nothing is written", async () => {
    const p = await deps.createProduct(5, 10);
    // Alice has ordered before, so the active-user cache may still vouch for her; Bob never has.
    const bob = await deps.register();
    await deps.stopUsers();
    try {
      const res = await orders.call("POST", "/api/orders", {
        token: bob.token,
        body: orderBody([{ productId: p, quantity: 1 }]),
      });
      expect(res.status).toBe(503);
      expect((res.body.error as Json).details).toEqual({ dependency: "user-service" });
    } finally {
      await deps.restartUsers();
    }
    expect((await deps.product(p)).stock).toBe(10);
    expect((await place(orderBody([{ productId: p, quantity: 1 }]))).status).toBe(201);
  });
});

describe("replicas recovering at the same time", () => {
  test("every stuck saga is settled once, by one of them", async () => {
    const productId = await deps.createProduct(5, 10);
    const stuck = Array.from({ length: 6 }, () => crypto.randomUUID());
    for (const id of stuck)
      await orders.sagaDeps.orders.insertReserving({
        id,
        userId: alice.userId,
        totalCents: 500n,
        shippingAddress: { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
        paymentMethod: "card",
        items: [{ productId, productName: "x", quantity: 1, priceCents: 500 }],
      });
    const [a, b] = await Promise.all([orders.recover({ graceMs: 0 }), orders.recover({ graceMs: 0 })]);
    let rolledBack = a.rolledBack + b.rolledBack;
    // On a loaded machine a catalog call may time out; that saga's lease is dropped and a later pass
    // settles it. What must hold is that every saga is settled exactly once.
    for (let pass = 0; pass < 5 && rolledBack < stuck.length; pass++) {
      rolledBack += (await orders.recover({ graceMs: 0 })).rolledBack;
    }
    expect(rolledBack).toBe(6);
    for (const id of stuck) expect(await sagaState(id)).toBe("failed");
    expect((await deps.product(productId)).stock).toBe(10);
  });
});

describe("answers lost on the way back", () => {
  test("a reservation taken but unanswered is completed by recovery; the key then replays it", async () => {
    const p = await deps.createProduct(5, 10);
    const body = orderBody([{ productId: p, quantity: 3 }]);
    const headers = { "idempotency-key": `lost-${crypto.randomUUID()}` };
    proxy.setMode("lose-answer");
    const res = await place(body, headers);
    proxy.setMode("pass");
    expect(res.status).toBe(503);
    const orderId = await onlyReservingSaga();
    expect((await deps.product(p)).stock).toBe(7);

    // A retry while the saga is unresolved waits, then says "still in progress" rather than ordering twice.
    const early = await place(body, headers);
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("5");

    // Young sagas belong to running requests: recovery leaves them alone.
    expect((await orders.recover({ graceMs: 60_000 })).completed).toBe(0);
    const report = await orders.recover({ graceMs: 0 });
    expect(report.completed).toBe(1);
    const visible = await orders.call("GET", `/api/orders/${orderId}`, { token: alice.token });
    expect(visible.status).toBe(200);
    expect(visible.body.status).toBe("pending");
    expect((await deps.product(p)).stock).toBe(7);

    const replay = await place(body, headers);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(orderId);
    expect((await deps.product(p)).stock).toBe(7);
  });

  test("a reserve arriving after recovery gave up is refused, and the order holds nothing", async () => {
    const p = await deps.createProduct(5, 10);
    proxy.setMode("hold");
    const pending = place(orderBody([{ productId: p, quantity: 4 }]));
    await proxy.arrived();
    const orderId = await onlyReservingSaga();
    const report = await orders.recover({ graceMs: 0 });
    expect(report.rolledBack).toBe(1);
    proxy.release();
    const res = await pending;
    proxy.setMode("pass");
    expect(res.status).toBe(503);
    expect(await sagaState(orderId)).toBe("failed");
    expect((await deps.product(p)).stock).toBe(10);
  });
});

describe("the catalog changes between pricing and reserving", () => {
  test("a product deactivated meanwhile is 400 PRODUCT_UNAVAILABLE and the saga ends failed", async () => {
    const p = await deps.createProduct(5, 10);
    proxy.setMode("hold");
    const pending = place(orderBody([{ productId: p, quantity: 1 }]));
    await proxy.arrived();
    await deps.deactivateProduct(p);
    proxy.release();
    const res = await pending;
    proxy.setMode("pass");
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("PRODUCT_UNAVAILABLE");
    expect((res.body.error as Json).details).toEqual([{ productId: p }]);
    const rows = await orders.database.db
      .selectFrom("orders")
      .select("saga_state")
      .where("saga_state", "=", "reserving")
      .execute();
    expect(rows).toEqual([]);
  });
});

describe("releases that did not complete", () => {
  test("a cancel while the catalog is down answers 200 and recovery returns the stock once", async () => {
    const p = await deps.createProduct(5, 10);
    const placed = await place(orderBody([{ productId: p, quantity: 6 }]));
    expect(placed.status).toBe(201);
    await deps.stopProducts();
    let cancelled: Awaited<ReturnType<typeof place>>;
    try {
      cancelled = await orders.call("POST", `/api/orders/${placed.body.id}/cancel`, { token: alice.token });
      expect((await orders.recover({ graceMs: 0 })).errors).toBeGreaterThan(0);
    } finally {
      await deps.restartProducts();
    }
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect((await deps.product(p)).stock).toBe(4);

    orders.advanceClock(60_000);
    const report = await orders.recover({ graceMs: 0 });
    expect(report.releasesFinished).toBe(1);
    expect((await deps.product(p)).stock).toBe(10);
    orders.advanceClock(60_000);
    expect((await orders.recover({ graceMs: 0 })).releasesFinished).toBe(0);
    expect((await deps.product(p)).stock).toBe(10);
    // Recovery counts each outcome before it returns its report.
    const metrics = await (await orders.app.handle(new Request("http://localhost/metrics"))).text();
    expect(metrics).toContain('saga_recoveries_total{outcome="release_finished"');
    expect(metrics).toContain('saga_recoveries_total{outcome="completed"');
    expect(metrics).toContain('saga_recoveries_total{outcome="rolled_back"');
  });

  test("idempotency keys older than 24 h are removed by recovery", async () => {
    const p = await deps.createProduct(5, 10);
    const headers = { "idempotency-key": `old-${crypto.randomUUID()}` };
    const first = await place(orderBody([{ productId: p, quantity: 1 }]), headers);
    orders.advanceClock(25 * 3_600_000);
    await orders.recover();
    const again = await place(orderBody([{ productId: p, quantity: 1 }]), headers);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
  });
});

describe("the orders database is down", () => {
  test("reads answer 503 DEPENDENCY_UNAVAILABLE and readiness fails, until it is back", async () => {
    await deps.postgres.pause();
    try {
      const res = await orders.call("GET", "/api/orders", { token: alice.token });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({
        code: "DEPENDENCY_UNAVAILABLE",
        details: { dependency: "orders database" },
      });
      const ready = await orders.app.handle(new Request("http://localhost/health/ready"));
      expect(ready.status).toBe(503);
      const pass = await orders.recover({ graceMs: 0 }).catch((error: unknown) => error);
      expect(pass).toMatchObject({ errorCode: "DEPENDENCY_UNAVAILABLE" });
    } finally {
      await deps.postgres.resume();
    }
    const res = await orders.call("GET", "/api/orders", { token: alice.token });
    expect(res.status).toBe(200);
  });
});
