import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@ecom/config";
import { createLogger } from "@ecom/observability";
import type { Clock } from "@ecom/service-kit";
import { connectionEnv, jwksPath, type ServiceKey, service } from "@ecom/system";
import {
  freePort,
  type MongoServer,
  type PostgresServer,
  type ServiceProcess,
  startMongo,
  startPostgres,
  startServiceProcess,
} from "@ecom/test-harness";
import { createOrderClients } from "../../src/clients/service-clients.ts";
import { configSchema } from "../../src/config.ts";
import { type RecoveryOptions, recoverSagas } from "../../src/saga/recover-sagas.ts";
import { createOrderService } from "../../src/service.ts";
import { freshOrdersDatabase } from "./database.ts";

export const SERVICE_TOKEN = "order-tests-internal-service-token";
export const ADMIN = { email: "admin@orders.test", password: "admin-password-123" };
const ISSUER = "ecom-user-service";

export const ORDER_SERVICE_ENTRY = service("orders").entry;

/**
 * Where each service is reached. The order service runs in this process and is called through
 * `app.handle` at this host, so nothing reaches it over a port.
 */
const urlsOf = (users: string, products: string): Record<ServiceKey, string> => ({
  users,
  products,
  orders: "http://localhost",
});

export type Json = Record<string, unknown>;
export type Customer = { userId: string; token: string; email: string };

/** A real user service and product service (as processes) with their own databases. */
export async function startDependencies() {
  const postgres: PostgresServer = await startPostgres();
  const mongo: MongoServer = await startMongo();
  const dataDir = mkdtempSync(join(tmpdir(), "order-tests-"));
  const usersDbUrl = await postgres.createDatabase();
  const userPort = freePort();
  const productPort = freePort();
  const userUrl = `http://127.0.0.1:${userPort}`;
  const productUrl = `http://127.0.0.1:${productPort}`;
  const urls = urlsOf(userUrl, productUrl);
  const startUsers = () =>
    startServiceProcess({
      entry: service("users").entry,
      port: userPort,
      env: {
        ...connectionEnv("users", urls),
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        DATABASE_URL: usersDbUrl,
        DATA_DIR: join(dataDir, "users"),
        INTERNAL_SERVICE_TOKEN: SERVICE_TOKEN,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        JWT_ISSUER: ISSUER,
      },
    });
  let users: ServiceProcess = await startUsers();
  const productEnv = {
    ...connectionEnv("products", urls),
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    MONGO_URL: mongo.url,
    INTERNAL_SERVICE_TOKEN: SERVICE_TOKEN,
    JWT_ISSUER: ISSUER,
    SEED_ON_EMPTY: "false",
  };
  const startProducts = () =>
    startServiceProcess({ entry: service("products").entry, port: productPort, env: productEnv });
  let products: ServiceProcess = await startProducts();

  const adminToken = await login(users.baseUrl, ADMIN.email, ADMIN.password);

  return {
    postgres,
    mongo,
    get users() {
      return users;
    },
    get products() {
      return products;
    },
    userUrl,
    jwksUrl: `${userUrl}${jwksPath}`,
    productUrl,
    adminToken,
    /** Stops the user service (its database and signing key stay). */
    stopUsers: () => users.kill("SIGTERM"),
    restartUsers: async () => {
      users = await startUsers();
    },
    /** Stops the product service (its data stays in the mongo server). */
    stopProducts: () => products.kill("SIGTERM"),
    /** Starts it again on the same port and MONGO_URL. */
    restartProducts: async () => {
      products = await startProducts();
    },

    /** The catalog's internal tRPC client, straight to the product service (past any fault proxy). */
    catalog(requestId: string) {
      return createOrderClients({
        userServiceUrl: users.baseUrl,
        productServiceUrl: this.productUrl,
        serviceToken: SERVICE_TOKEN,
        timeoutMs: 10_000,
        retries: 0,
        onCall: () => {},
      }).products.withRequestId(requestId);
    },

    async register(): Promise<Customer> {
      const email = `c-${crypto.randomUUID()}@orders.test`;
      const res = await fetch(`${users.baseUrl}/api/users/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email,
          password: "customer-password-1",
          firstName: "Test",
          lastName: "Buyer",
        }),
      });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { user: { id: string }; accessToken: string };
      return { userId: body.user.id, token: body.accessToken, email };
    },

    /** Creates an active product through the real admin API and returns its id. */
    async createProduct(price: number, stock: number, name = `Item ${crypto.randomUUID().slice(0, 8)}`) {
      const res = await fetch(`${this.productUrl}/api/products`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ name, description: "test product", price, category: "test", stock }),
      });
      if (res.status !== 201) throw new Error(`create product failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    },

    async product(id: string): Promise<{ stock: number; price: number; isActive: boolean }> {
      const res = await fetch(`${this.productUrl}/api/products/${id}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      if (res.status !== 200) throw new Error(`get product failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { stock: number; price: number; isActive: boolean };
    },

    /** Changes a product's price or name through the admin API. */
    async updateProduct(id: string, changes: { price?: number; name?: string }) {
      const res = await fetch(`${this.productUrl}/api/products/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
        body: JSON.stringify(changes),
      });
      if (res.status !== 200) throw new Error(`update product failed: ${res.status} ${await res.text()}`);
    },

    async deactivateProduct(id: string) {
      const res = await fetch(`${this.productUrl}/api/products/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${adminToken}` },
      });
      if (res.status !== 204) throw new Error(`delete product failed: ${res.status}`);
    },

    async stop() {
      await products.kill("SIGTERM").catch(() => {});
      await users.kill("SIGTERM").catch(() => {});
      await mongo.stop();
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Dependencies = Awaited<ReturnType<typeof startDependencies>>;

async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/users/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/**
 * The order service in this process (so coverage sees it), built by its own composition root on a
 * fresh orders database and the real user and product services. `productUrl` can point at a
 * fault-injecting proxy instead. The service is never started, so its recovery loop does not run:
 * tests run recovery passes by hand (`recover`), on a clock they move (`advanceClock`).
 */
export async function startOrderApp(
  deps: Dependencies,
  options: { productUrl?: string; timeoutMs?: number; idempotencyWaitMs?: number } = {},
) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const config = loadConfig(configSchema, {
    ...connectionEnv("orders", urlsOf(deps.userUrl, options.productUrl ?? deps.productUrl)),
    NODE_ENV: "test",
    INTERNAL_SERVICE_TOKEN: SERVICE_TOKEN,
    JWT_ISSUER: ISSUER,
    DEPENDENCY_TIMEOUT_MS: String(timeoutMs),
    DEPENDENCY_RETRIES: "1",
    // Only what the configuration insists on (longer than a call may take): the loop never runs here.
    RECOVERY_GRACE_MS: String(2 * timeoutMs + 1),
    RECOVERY_LEASE_MS: String(timeoutMs + 1),
    IDEMPOTENCY_WAIT_MS: String(options.idempotencyWaitMs ?? 10_000),
  });
  const database = await freshOrdersDatabase(deps.postgres);
  const logLines: string[] = [];
  const logger = createLogger({ service: "order-service", level: "info", sink: (l) => logLines.push(l) });
  // Real time, moved ahead by `advanceClock`: recovery sees sagas as old without anyone waiting.
  let jumpedTo = Date.now();
  const clock: Clock = { now: () => new Date(Math.max(Date.now(), jumpedTo)) };
  const service = await createOrderService(config, { database, logger, clock, idempotencyPollMs: 20 });
  const { app, saga: sagaDeps } = service;

  const call = async (
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await app.handle(
      new Request(`http://localhost${path}`, {
        method,
        headers,
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      }),
    );
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
  };

  return {
    app,
    database,
    logLines,
    sagaDeps,
    call,
    /** Moves the clock forward so recovery treats current sagas as old. */
    advanceClock: (ms: number) => {
      jumpedTo = Math.max(Date.now(), jumpedTo) + ms;
    },
    recover: (options: Partial<RecoveryOptions> = {}) =>
      recoverSagas(
        sagaDeps,
        { graceMs: 10_000, leaseMs: 5_000, idempotencyTtlHours: 24, ...options },
        { requestId: `recovery-${crypto.randomUUID()}`, log: logger },
      ),
    close: () => service.stop(),
  };
}

export type OrderApp = Awaited<ReturnType<typeof startOrderApp>>;

export const address = { line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };

export function orderBody(items: ({ productId: string; quantity: number } & Json)[], extra: Json = {}) {
  return { items, shippingAddress: address, paymentMethod: "card", ...extra };
}
