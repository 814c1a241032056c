import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { freePort, type ServiceProcess, startServiceProcess } from "@ecom/test-harness";
import { requestHash } from "../src/domain/request-hash.ts";
import { createOrdersRepository } from "../src/repository/orders-repository.ts";
import { freshOrdersDatabase } from "./support/database.ts";
import { startFaultProxy } from "./support/fault-proxy.ts";
import {
  type Customer,
  type Dependencies,
  ORDER_SERVICE_ENTRY,
  orderBody,
  SERVICE_TOKEN,
  startDependencies,
} from "./support/stack.ts";

/** What API.md and the order-service README promise after any single crash, with default settings. */
const SETTLE_BOUND_MS = 10_000;

let deps: Dependencies;
let database: Awaited<ReturnType<typeof freshOrdersDatabase>>;
let baseEnv: Record<string, string>;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  deps = await startDependencies();
  database = await freshOrdersDatabase(deps.postgres);
  // Only what the process needs to find its peers: every recovery and dependency setting is the default.
  baseEnv = {
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: database.url,
    USER_SERVICE_URL: deps.users.baseUrl,
    PRODUCT_SERVICE_URL: deps.productUrl,
    JWKS_URL: deps.jwksUrl,
    INTERNAL_SERVICE_TOKEN: SERVICE_TOKEN,
  };
});
afterAll(async () => {
  for (const svc of running) if (svc.proc.exitCode === null) await svc.kill("SIGKILL");
  await database?.close();
  await deps?.stop();
});

async function startOrderService(env: Record<string, string>, port: number) {
  const svc = await startServiceProcess({ entry: ORDER_SERVICE_ENTRY, port, env: { ...baseEnv, ...env } });
  running.push(svc);
  return svc;
}

async function untilReady(baseUrl: string) {
  while ((await fetch(`${baseUrl}/health/ready`).catch(() => undefined))?.status !== 200) await Bun.sleep(20);
}

type Interrupted = { id: string; key: string; body: ReturnType<typeof orderBody>; reserved: boolean };

/**
 * Orders a crash left unfinished a minute ago (past the default grace): each saga is "reserving" with
 * its Idempotency-Key; the catalog took the stock for every other one (the crash came after the
 * reserve) and never heard of the rest (it came before), the oldest, which recovery takes first, included.
 */
const catalog = () => deps.catalog("crash-test");

async function interruptedOrders(customer: Customer, productId: string, count: number) {
  const written = createOrdersRepository(database.db, { now: () => new Date(Date.now() - 60_000) });
  const orders: Interrupted[] = [];
  for (let i = 0; i < count; i++) {
    const body = orderBody([{ productId, quantity: 1 + (i % 3) }]);
    const order = {
      id: crypto.randomUUID(),
      key: `crash-${crypto.randomUUID()}`,
      body,
      reserved: i % 2 === 1,
    };
    await written.insertReserving({
      id: order.id,
      userId: customer.userId,
      totalCents: 500n * BigInt(body.items[0]!.quantity),
      shippingAddress: body.shippingAddress,
      paymentMethod: body.paymentMethod,
      items: [{ productId, productName: "x", quantity: body.items[0]!.quantity, priceCents: 500 }],
      idempotency: { userId: customer.userId, key: order.key, requestHash: requestHash(body) },
    });
    if (order.reserved)
      expect(await catalog().reserve.mutate({ orderId: order.id, items: body.items })).toMatchObject({
        ok: true,
      });
    orders.push(order);
  }
  return orders;
}

const stillReserving = async (orders: Interrupted[]) =>
  (
    await database.db
      .selectFrom("orders")
      .select("id")
      .where("saga_state", "=", "reserving")
      .where(
        "id",
        "in",
        orders.map((o) => o.id),
      )
      .execute()
  ).length;

describe("order service SIGKILLed during a recovery pass", () => {
  test("after the restart every interrupted order is settled within 10 s of readiness, and retries get one order each", async () => {
    const customer = await deps.register();
    const productId = await deps.createProduct(5, 100);
    const interrupted = await interruptedOrders(customer, productId, 8);
    const port = freePort();

    // The first pass claims an order and asks the catalog to cancel it; the process dies right then.
    const proxy = startFaultProxy(deps.productUrl, "/trpc/cancel");
    proxy.setMode("hold");
    try {
      const doomed = await startOrderService({ PRODUCT_SERVICE_URL: proxy.url }, port);
      await proxy.arrived();
      await doomed.kill("SIGKILL");
      expect(doomed.proc.signalCode).toBe("SIGKILL");
      // The call the dead process sent still lands: the catalog cancels, the order side never hears.
      proxy.release();
      const claimed = interrupted[0]!.id;
      while ((await catalog().getReservation.query({ orderId: claimed })).status !== "released")
        await Bun.sleep(20);
    } finally {
      proxy.stop();
    }
    expect(await stillReserving(interrupted)).toBe(interrupted.length);

    const revived = await startOrderService({}, port);
    await untilReady(revived.baseUrl);
    const readyAt = performance.now();
    // Clients retry at once; each waits for recovery rather than placing a second order.
    const retries = interrupted.map((order) =>
      fetch(`${revived.baseUrl}/api/orders`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${customer.token}`,
          "idempotency-key": order.key,
        },
        body: JSON.stringify(order.body),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { id: string } })),
    );
    while ((await stillReserving(interrupted)) > 0) await Bun.sleep(50);
    const settledInMs = performance.now() - readyAt;
    expect(settledInMs).toBeLessThan(SETTLE_BOUND_MS);

    const answers = await Promise.all(retries);
    const stock = (await deps.product(productId)).stock;
    for (const [i, order] of interrupted.entries()) {
      const answer = answers[i]!;
      expect(answer.status).toBe(201);
      // Reserved before the crash: that very order. Never reserved: a fresh one in its place.
      if (order.reserved) expect(answer.body.id).toBe(order.id);
      else expect(answer.body.id).not.toBe(order.id);
      const sagas = await database.db
        .selectFrom("orders")
        .select(["id", "saga_state"])
        .where("idempotency_key", "=", order.key)
        .execute();
      expect(sagas.filter((s) => s.saga_state === "reserved").map((s) => s.id)).toEqual([answer.body.id]);
    }
    // One order per key, each holding its stock once.
    const held = interrupted.reduce((sum, order) => sum + order.body.items[0]!.quantity, 0);
    expect(stock).toBe(100 - held);
    expect(await revived.kill("SIGTERM")).toBe(0);
  });
});
