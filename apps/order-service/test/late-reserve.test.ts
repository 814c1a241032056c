import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFaultProxy } from "./support/fault-proxy.ts";
import {
  type Customer,
  type Dependencies,
  type OrderApp,
  orderBody,
  startDependencies,
  startOrderApp,
} from "./support/stack.ts";

/*
 * A reserve delayed past the recovery grace period, at each point it can be delayed: before it
 * reaches the catalog, after the catalog took the stock but before the answer is back, and while
 * recovery's own call is on its way. In every case: a retry with the same Idempotency-Key never
 * creates a second order, and an order answered 201 keeps its stock.
 */

const GRACE_MS = 10_000;

let deps: Dependencies;
/** In front of the product service for reserves; recovery's cancel passes through `cancelProxy` first. */
let reserveProxy: ReturnType<typeof startFaultProxy>;
let cancelProxy: ReturnType<typeof startFaultProxy>;
let orders: OrderApp;
let alice: Customer;
let catalog: ReturnType<Dependencies["catalog"]>;

beforeAll(async () => {
  deps = await startDependencies();
  reserveProxy = startFaultProxy(deps.productUrl, "/trpc/reserve");
  cancelProxy = startFaultProxy(reserveProxy.url, "/trpc/cancel");
  orders = await startOrderApp(deps, { productUrl: cancelProxy.url, idempotencyWaitMs: 300 });
  alice = await deps.register();
  catalog = deps.catalog("late-reserve-test");
});
afterAll(async () => {
  cancelProxy?.stop();
  reserveProxy?.stop();
  await orders?.close();
  await deps?.stop();
});

const place = (body: unknown, key: string) =>
  orders.call("POST", "/api/orders", { token: alice.token, body, headers: { "idempotency-key": key } });
/** Every saga written for this key, whatever its state. */
const sagasFor = (key: string) =>
  orders.database.db
    .selectFrom("orders")
    .select(["id", "saga_state"])
    .where("idempotency_key", "=", key)
    .execute();
const visibleOrdersFor = async (key: string) =>
  (await sagasFor(key)).filter((s) => s.saga_state === "reserved").map((s) => s.id);
/** Recovery as it runs once the grace period has passed for the sagas written so far. */
const recoverPastGrace = () => {
  orders.advanceClock(GRACE_MS + 1);
  return orders.recover({ graceMs: GRACE_MS });
};

describe("a reserve delayed past the grace period", () => {
  test("held before it reaches the catalog: recovery cancels, the late reserve is refused, the retry makes one order", async () => {
    const p = await deps.createProduct(5, 10);
    const body = orderBody([{ productId: p, quantity: 3 }]);
    const key = `late-${crypto.randomUUID()}`;
    reserveProxy.setMode("hold");
    const first = place(body, key);
    await reserveProxy.arrived();
    const [saga] = await sagasFor(key);

    expect((await recoverPastGrace()).rolledBack).toBe(1);
    reserveProxy.release();
    const answer = await first;
    reserveProxy.setMode("pass");
    expect(answer.status).toBe(503);
    expect(await catalog.getReservation.query({ orderId: saga!.id })).toEqual({ status: "released" });
    expect((await deps.product(p)).stock).toBe(10);

    // The first saga never became an order, so the retry is a fresh attempt; its own retry replays it.
    const retry = await place(body, key);
    expect(retry.status).toBe(201);
    expect(retry.body.id).not.toBe(saga!.id);
    const again = await place(body, key);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(retry.body.id);
    expect(await visibleOrdersFor(key)).toEqual([retry.body.id as string]);
    expect((await deps.product(p)).stock).toBe(7);
  });

  test("taken by the catalog, its answer held: recovery completes the order, the request answers 201 with it, the stock stays taken", async () => {
    const p = await deps.createProduct(5, 10);
    const body = orderBody([{ productId: p, quantity: 4 }]);
    const key = `late-${crypto.randomUUID()}`;
    reserveProxy.setMode("hold-answer");
    const first = place(body, key);
    await reserveProxy.arrived();
    const [saga] = await sagasFor(key);

    expect((await recoverPastGrace()).completed).toBe(1);
    reserveProxy.release();
    const answer = await first;
    reserveProxy.setMode("pass");
    expect(answer.status).toBe(201);
    expect(answer.body.id).toBe(saga!.id);
    expect((await place(body, key)).body.id).toBe(saga!.id);
    expect(await visibleOrdersFor(key)).toEqual([saga!.id]);
    expect(await catalog.getReservation.query({ orderId: saga!.id })).toEqual({ status: "reserved" });
    expect((await deps.product(p)).stock).toBe(6);
  });

  test("landing after recovery decided but before its call arrived: the order answered 201 keeps its stock and its key", async () => {
    const p = await deps.createProduct(5, 10);
    const body = orderBody([{ productId: p, quantity: 2 }]);
    const key = `late-${crypto.randomUUID()}`;
    reserveProxy.setMode("hold");
    const first = place(body, key);
    await reserveProxy.arrived();
    const [saga] = await sagasFor(key);

    // Recovery found the saga unfinished and sent its call; it is held on the way.
    cancelProxy.setMode("hold");
    const recovery = recoverPastGrace();
    await cancelProxy.arrived();
    // Meanwhile the late reserve lands and the request completes the order.
    reserveProxy.release();
    const answer = await first;
    reserveProxy.setMode("pass");
    expect(answer.status).toBe(201);
    expect(answer.body.id).toBe(saga!.id);

    cancelProxy.release();
    const report = await recovery;
    cancelProxy.setMode("pass");
    expect(report).toMatchObject({ completed: 1, rolledBack: 0 });
    expect(await catalog.getReservation.query({ orderId: saga!.id })).toEqual({ status: "reserved" });
    expect((await deps.product(p)).stock).toBe(8);
    const visible = await orders.call("GET", `/api/orders/${saga!.id}`, { token: alice.token });
    expect(visible.status).toBe(200);
    const retry = await place(body, key);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(saga!.id);
    expect(await visibleOrdersFor(key)).toEqual([saga!.id]);
    expect((await deps.product(p)).stock).toBe(8);
  });
});
