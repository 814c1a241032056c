import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase } from "@ecom/db";
import { freePort, type ServiceProcess, startServiceProcess, waitUntil } from "@ecom/test-harness";
import type { OrdersDatabase } from "../src/repository/tables.ts";
import {
  type Dependencies,
  ORDER_SERVICE_ENTRY,
  orderBody,
  SERVICE_TOKEN,
  startDependencies,
} from "./support/stack.ts";

let deps: Dependencies;
let ordersDbUrl: string;
let baseEnv: Record<string, string>;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  deps = await startDependencies();
  ordersDbUrl = await deps.postgres.createDatabase();
  baseEnv = {
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: ordersDbUrl,
    USER_SERVICE_URL: deps.users.baseUrl,
    PRODUCT_SERVICE_URL: deps.productUrl,
    JWKS_URL: deps.jwksUrl,
    INTERNAL_SERVICE_TOKEN: SERVICE_TOKEN,
    RECOVERY_INTERVAL_MS: "200",
    // The grace must exceed a reserve call's deadline × attempts (1 000 ms × 3).
    DEPENDENCY_TIMEOUT_MS: "1000",
    RECOVERY_GRACE_MS: "4000",
  };
});
afterAll(async () => {
  for (const svc of running) if (svc.proc.exitCode === null) await svc.kill("SIGKILL");
  await deps?.stop();
});

async function startOrderService(env: Record<string, string> = {}, port = freePort()) {
  const svc = await startServiceProcess({ entry: ORDER_SERVICE_ENTRY, port, env: { ...baseEnv, ...env } });
  running.push(svc);
  return svc;
}

describe("order service killed between reserve and the final write (CRASH_AFTER_RESERVE=1)", () => {
  test("after a restart the order is either completed or its stock released, never both, never neither", async () => {
    const customer = await deps.register();
    const productId = await deps.createProduct(12.5, 10);
    const port = freePort();
    const doomed = await startOrderService({ CRASH_AFTER_RESERVE: "1" }, port);
    const body = orderBody([{ productId, quantity: 3 }]);
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${customer.token}`,
      "idempotency-key": `crash-${crypto.randomUUID()}`,
    };
    const send = () =>
      fetch(`${doomed.baseUrl}/api/orders`, { method: "POST", headers, body: JSON.stringify(body) });

    const lost = await send().catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(Error);
    await doomed.proc.exited;
    expect(doomed.proc.signalCode).toBe("SIGKILL");
    // The crash came after the reservation: the stock is held and the saga is unfinished.
    expect((await deps.product(productId)).stock).toBe(7);
    const database = createDatabase<OrdersDatabase>({ url: ordersDbUrl, dataDir: "" });
    try {
      const stuck = await database.db.selectFrom("orders").select(["id", "saga_state"]).execute();
      expect(stuck).toEqual([{ id: expect.any(String), saga_state: "reserving" }]);
      const orderId = stuck[0]!.id;

      const revived = await startOrderService({}, port);
      // The revived service's recovery loop settles the saga: wait for that, however long it takes.
      const sagaState = async () =>
        (
          await database.db
            .selectFrom("orders")
            .select("saga_state")
            .where("id", "=", orderId)
            .executeTakeFirstOrThrow()
        ).saga_state;
      await waitUntil(async () => (await sagaState()) !== "reserving", 100);

      const visible =
        (
          await fetch(`${revived.baseUrl}/api/orders/${orderId}`, {
            headers: { authorization: `Bearer ${customer.token}` },
          })
        ).status === 200;
      const stock = (await deps.product(productId)).stock;
      const completed = visible && stock === 7;
      const undone = !visible && stock === 10;
      expect(completed !== undone).toBe(true);
      // The reservation existed, so recovery completes the order, and the client's retry gets it back.
      expect(completed).toBe(true);
      const retry = await fetch(`${revived.baseUrl}/api/orders`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      expect(retry.status).toBe(201);
      expect(((await retry.json()) as { id: string }).id).toBe(orderId);
      expect((await deps.product(productId)).stock).toBe(7);

      expect(await revived.kill("SIGTERM")).toBe(0);
      expect(revived.lines().some((l) => l.includes("saga recovered: order completed"))).toBe(true);
    } finally {
      await database.close();
    }
  });
});

describe("process boot", () => {
  test("with nothing configured it runs on the embedded database, serves health, docs and metrics, and stops on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "order-boot-"));
    try {
      const svc = await startServiceProcess({
        entry: ORDER_SERVICE_ENTRY,
        port: freePort(),
        env: {
          NODE_ENV: "development",
          DATABASE_URL: "",
          DATA_DIR: dataDir,
          USER_SERVICE_URL: deps.users.baseUrl,
          PRODUCT_SERVICE_URL: deps.productUrl,
          JWKS_URL: deps.jwksUrl,
          INTERNAL_SERVICE_TOKEN: SERVICE_TOKEN,
        },
      });
      running.push(svc);
      expect((await fetch(`${svc.baseUrl}/health/ready`)).status).toBe(200);
      const spec = (await (await fetch(`${svc.baseUrl}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining([
          "/api/orders",
          "/api/orders/{id}",
          "/api/orders/{id}/cancel",
          "/api/orders/{id}/status",
        ]),
      );
      const metrics = await (await fetch(`${svc.baseUrl}/metrics`)).text();
      expect(metrics).toContain("orders_placed_total");
      expect(metrics).toContain("saga_recoveries_total");
      const unauth = await fetch(`${svc.baseUrl}/api/orders`, {
        headers: { "x-request-id": "boot-check-1" },
      });
      expect(unauth.status).toBe(401);
      expect(unauth.headers.get("x-request-id")).toBe("boot-check-1");
      expect(await svc.kill("SIGTERM")).toBe(0);
      expect(svc.lines().some((l) => l.includes("using the embedded database"))).toBe(true);
      expect(svc.lines().some((l) => l.includes("recovery pass failed"))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("a production start without DATABASE_URL stops with one readable line", () => {
    const result = Bun.spawnSync(["bun", ORDER_SERVICE_ENTRY], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: "",
        INTERNAL_SERVICE_TOKEN: "a-real-secret-for-production",
      },
      stderr: "pipe",
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.toString().trim()).toBe(
      "Invalid environment variable DATABASE_URL: is required in production",
    );
  });

  test("a grace period shorter than a reserve call may take stops the start with one line naming it", () => {
    const result = Bun.spawnSync(["bun", ORDER_SERVICE_ENTRY], {
      env: { ...process.env, ...baseEnv, DEPENDENCY_TIMEOUT_MS: "3000", RECOVERY_GRACE_MS: "5000" },
      stderr: "pipe",
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.toString().trim()).toStartWith(
      "Invalid environment variable RECOVERY_GRACE_MS: must exceed DEPENDENCY_TIMEOUT_MS × (DEPENDENCY_RETRIES + 1) = 9000 ms",
    );
  });
});
