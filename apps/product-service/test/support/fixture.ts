import { createTokenVerifier, SERVICE_TOKEN_HEADER } from "@ecom/auth";
import { loadConfig } from "@ecom/config";
import { createLogger } from "@ecom/observability";
import { systemClock } from "@ecom/service-kit";
import { createTestIssuer, type MongoServer, startMongo, type TestIssuer } from "@ecom/test-harness";
import type { ProductServiceApp } from "../../src/app.ts";
import { configSchema } from "../../src/config.ts";
import { openDatabase, type ProductsDatabase } from "../../src/db/database.ts";
import { createProductService } from "../../src/service.ts";

export const SERVICE_TOKEN = "test-internal-service-token";

export type Fixture = {
  mongo: MongoServer;
  db: ProductsDatabase;
  issuer: TestIssuer;
  app: ProductServiceApp;
  /** What the service logged, one JSON line each. */
  logLines: string[];
  adminToken: string;
  customerToken: string;
  /** Sends a request through `app.handle`; `body` is sent as JSON, `token` as a bearer token. */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> },
  ): Promise<Response>;
  /** A tRPC call through `app.handle`, with the internal credential unless `serviceToken` is null. */
  trpc(
    kind: "query" | "mutation",
    path: string,
    input: unknown,
    serviceToken?: string | null,
  ): Promise<Response>;
  close(): Promise<void>;
};

/**
 * A real in-memory mongo-java-server, a fresh database, and the service's own composition root on it,
 * with a test issuer's keys instead of the user service's JWKS and a captured log. The catalog starts
 * empty (no demo seed), so suites count only what they create.
 */
export async function startFixture(
  options: { leaseMs?: number; env?: Record<string, string> } = {},
): Promise<Fixture> {
  const mongo = await startMongo();
  const config = loadConfig(configSchema, {
    MONGO_URL: mongo.url,
    INTERNAL_SERVICE_TOKEN: SERVICE_TOKEN,
    RESERVATION_LEASE_MS: String(options.leaseMs ?? 10_000),
    SEED_ON_EMPTY: "false",
    ...options.env,
  });
  // The database and the service share one clock: the models stamp times with it too.
  const clock = systemClock;
  const db = await openDatabase({ url: mongo.url, clock });
  const issuer = await createTestIssuer();
  const logLines: string[] = [];
  const service = await createProductService(config, {
    database: db,
    clock,
    verifier: createTokenVerifier({ keySet: issuer.keySet, issuer: issuer.issuer }),
    logger: createLogger({ service: "product-service", sink: (line) => logLines.push(line) }),
  });
  const { app } = service;
  const adminToken = await issuer.sign({ sub: crypto.randomUUID(), role: "admin" });
  const customerToken = await issuer.sign({ sub: crypto.randomUUID(), role: "customer" });
  const call: Fixture["call"] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (body !== undefined) headers["content-type"] = "application/json";
    return app.handle(new Request(`http://localhost${path}`, { method, headers, body }));
  };
  const trpc: Fixture["trpc"] = (kind, path, input, serviceToken = SERVICE_TOKEN) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (serviceToken !== null) headers[SERVICE_TOKEN_HEADER] = serviceToken;
    const url =
      kind === "query"
        ? `http://localhost/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`
        : `http://localhost/trpc/${path}`;
    return app.handle(
      new Request(url, {
        method: kind === "query" ? "GET" : "POST",
        headers,
        body: kind === "mutation" ? JSON.stringify(input) : undefined,
      }),
    );
  };
  return {
    mongo,
    db,
    issuer,
    app,
    logLines,
    adminToken,
    customerToken,
    call,
    trpc,
    close: async () => {
      await service.stop();
      await mongo.stop();
    },
  };
}

let counter = 0;
/** A valid create body; override any field. */
export function productBody(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    name: `Test product ${counter}`,
    description: `A product made for test number ${counter}`,
    price: 10,
    category: "testing",
    stock: 5,
    ...overrides,
  };
}

/** Creates a product through the API as an admin and returns its JSON. */
export async function createProduct(f: Fixture, overrides: Record<string, unknown> = {}) {
  const res = await f.call("POST", "/api/products", { token: f.adminToken, body: productBody(overrides) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; stock: number; price: number; [k: string]: unknown };
}

/** A product document as stored, internal fields (the holds) included. */
export function storedProduct(f: Fixture, id: string) {
  return f.db.products.collection.findOne({ _id: id as never });
}

/** Unwraps a tRPC response body (`{result: {data}}`). */
export async function trpcData<T>(res: Response): Promise<T> {
  const json = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!json.result) throw new Error(`tRPC error ${res.status}: ${JSON.stringify(json.error)}`);
  return json.result.data;
}

/** What a product service killed after taking the first of two lines leaves behind. */
export async function halfDoneReservation(f: Fixture, leaseUntil: Date) {
  const a = await createProduct(f, { stock: 10 });
  const b = await createProduct(f, { stock: 10 });
  const orderId = crypto.randomUUID();
  const items = [
    { productId: a.id, quantity: 2 },
    { productId: b.id, quantity: 3 },
  ];
  await f.db.reservations.create({
    _id: orderId,
    status: "reserving",
    items,
    taken: [],
    owner: crypto.randomUUID(),
    leaseUntil,
  });
  await f.db.products.collection.updateOne(
    { _id: a.id as never },
    { $inc: { stock: -2 }, $set: { [`holdsByOrder.${orderId}`]: 2 } },
  );
  return { a, b, orderId, items };
}

type Line = { productId: string; quantity: number; priceCents?: number; productName?: string };
type Status = { status: string };
export type ReserveResult =
  | { ok: true; status: "reserved" }
  | { ok: false; reason: string; shortages: { productId: string; requested: number; available: number }[] };

/**
 * The internal stock procedures as typed calls, plus what they change (stock and holds as stored).
 * Takes a getter because suites create their fixture in `beforeAll`.
 */
export function stockCalls(fixture: () => Fixture) {
  const call = async <T>(kind: "query" | "mutation", path: string, input: unknown) =>
    trpcData<T>(await fixture().trpc(kind, path, input));
  return {
    reserve: (orderId: string, items: Line[]) =>
      call<ReserveResult>("mutation", "reserve", { orderId, items }),
    release: (orderId: string) => call<Status>("mutation", "release", { orderId }),
    settle: (orderId: string) => call<Status>("mutation", "settle", { orderId }),
    cancel: (orderId: string) => call<Status>("mutation", "cancel", { orderId }),
    reservation: (orderId: string) => call<Status>("query", "getReservation", { orderId }),
    stockOf: async (id: string) => (await fixture().db.products.findById(id).lean())?.stock,
    holdsOf: async (id: string) => Object.keys((await storedProduct(fixture(), id))?.holdsByOrder ?? {}),
  };
}
