import { CATEGORIES, type Fixtures } from "./fixtures.ts";
import type { LoadSpec, RequestVariant } from "./load/load-spec.ts";
import type { BenchOptions } from "./options.ts";

export type CeilingName = "http" | "mongo.findById" | "mongo.list" | "pg.orderInsert";

/** Page size of the list scenarios; the `mongo.list` ceiling asks for the same. */
export const LIST_LIMIT = 20;

export type Scenario = {
  name: string;
  description: string;
  load: Omit<LoadSpec, "latencyFile">;
  /** Runs at the same time as `load` and is reported beside it (e.g. /me while logins run). */
  companion?: { name: string; load: Omit<LoadSpec, "latencyFile"> };
  /** Statuses that are the expected answer; anything else counts as an error. */
  expectedStatuses: number[];
  /** Ceilings this scenario's throughput is divided by (the smallest one is the ratio reported). */
  ceilings: CeilingName[];
  /** Orders this scenario creates count toward the invariant check. */
  placesOrders?: boolean;
  /** False when a warm-up would use up what the run is about (the contended run's stock). */
  warmup?: boolean;
};

const json = { "content-type": "application/json" };
const address = { line1: "1 Bench Street", city: "Loadville", postalCode: "10001", country: "US" };

export function buildScenarios(
  urls: { users: string; products: string; orders: string; gateway: string },
  fixtures: Fixtures,
  serviceToken: string,
  options: BenchOptions,
): Scenario[] {
  const base = { durationSec: options.durationSec };
  const reads = { ...base, connections: options.connections };
  const byId: RequestVariant[] = fixtures.catalog.map((p) => ({
    method: "GET",
    path: `/api/products/${p.id}`,
  }));
  const list: RequestVariant[] = CATEGORIES.map((c) => ({
    method: "GET",
    path: `/api/products?category=${c}&sort=price&limit=${LIST_LIMIT}`,
  }));
  const me: RequestVariant[] = fixtures.customers.map((c) => ({
    method: "GET",
    path: "/api/users/me",
    headers: { authorization: `Bearer ${c.token}` },
  }));
  const orderFor = (token: string, items: { productId: string; quantity: number }[]): RequestVariant => ({
    method: "POST",
    path: "/api/orders",
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify({ items, shippingAddress: address, paymentMethod: "card" }),
  });
  const stocked = fixtures.stocked;
  // Every customer with several different pairs of well-stocked products.
  const orders = fixtures.customers.flatMap((c, i) =>
    [0, 1, 2, 3].map((k) => {
      const a = stocked[(i + k) % stocked.length]?.id as string;
      const b = stocked[(i + k + 1 + (k % 3)) % stocked.length]?.id as string;
      return orderFor(c.token, [
        { productId: a, quantity: 1 },
        { productId: b, quantity: 2 },
      ]);
    }),
  );
  const contended = fixtures.customers.map((c) =>
    orderFor(c.token, [{ productId: fixtures.contended.id, quantity: 1 }]),
  );
  const internalIds = fixtures.internal.map((p) => p.id);
  const internalHeaders = { ...json, "x-internal-token": serviceToken };
  const internal: RequestVariant[] = [
    {
      method: "GET",
      path: `/trpc/getMany?input=${encodeURIComponent(JSON.stringify({ ids: internalIds.slice(0, 2) }))}`,
      headers: internalHeaders,
    },
    {
      method: "POST",
      path: "/trpc/reserve",
      headers: internalHeaders,
      body: `{"orderId":"{{uuid}}","items":[{"productId":"${internalIds[0]}","quantity":1},{"productId":"${internalIds[1]}","quantity":2}]}`,
    },
  ];

  return [
    {
      name: "catalog.get-by-id",
      description: "GET /api/products/{id}, 200 products round-robin, straight to the product service",
      load: { ...reads, baseUrl: urls.products, requests: byId },
      expectedStatuses: [200],
      ceilings: ["http", "mongo.findById"],
    },
    {
      name: "catalog.get-by-id.gateway",
      description: "the same through the gateway",
      load: { ...reads, baseUrl: urls.gateway, requests: byId },
      expectedStatuses: [200],
      ceilings: ["http", "mongo.findById"],
    },
    {
      name: "catalog.get-by-id.revalidate",
      description:
        "the gateway run, each connection sending back the ETag it got as If-None-Match (304 expected)",
      load: { ...reads, baseUrl: urls.gateway, requests: byId, revalidate: true },
      expectedStatuses: [200, 304],
      ceilings: ["http", "mongo.findById"],
    },
    {
      name: "catalog.list",
      description: "GET /api/products?category=…&sort=price&limit=20 (8 categories of 25), product service",
      load: { ...reads, baseUrl: urls.products, requests: list },
      expectedStatuses: [200],
      ceilings: ["http", "mongo.list"],
    },
    {
      name: "catalog.list.gateway",
      description: "the same through the gateway",
      load: { ...reads, baseUrl: urls.gateway, requests: list },
      expectedStatuses: [200],
      ceilings: ["http", "mongo.list"],
    },
    {
      name: "catalog.list.revalidate",
      description:
        "the list through the gateway, each connection revalidating with If-None-Match (304 expected)",
      load: { ...reads, baseUrl: urls.gateway, requests: list, revalidate: true },
      expectedStatuses: [200, 304],
      ceilings: ["http", "mongo.list"],
    },
    {
      name: "auth.me",
      description: "GET /api/users/me alone (token check + one row), the reference for the next run",
      load: { ...base, connections: options.loginConnections, baseUrl: urls.users, requests: me },
      expectedStatuses: [200],
      ceilings: ["http"],
    },
    {
      name: "auth.login",
      description: "POST /api/users/login (argon2id verify), with GET /api/users/me running beside it",
      load: {
        ...base,
        connections: options.loginConnections,
        baseUrl: urls.users,
        requests: fixtures.customers.map((c) => ({
          method: "POST",
          path: "/api/users/login",
          headers: json,
          body: JSON.stringify({ email: c.email, password: "bench-customer-password-1" }),
        })),
      },
      companion: {
        name: "auth.me.during-login",
        load: { ...base, connections: options.loginConnections, baseUrl: urls.users, requests: me },
      },
      expectedStatuses: [200],
      ceilings: ["http"],
    },
    {
      name: "orders.place",
      description: `POST /api/orders, 2 lines, ${fixtures.customers.length} customers over ${stocked.length} well-stocked products`,
      load: { ...base, connections: options.orderConnections, baseUrl: urls.orders, requests: orders },
      expectedStatuses: [201],
      ceilings: ["http", "pg.orderInsert"],
      placesOrders: true,
    },
    {
      name: "orders.contended",
      description: `POST /api/orders, all customers, one product with stock ${options.contendedStock}: 201 until it is gone, then 400`,
      load: { ...base, connections: options.orderConnections, baseUrl: urls.orders, requests: contended },
      expectedStatuses: [201, 400],
      ceilings: ["http", "pg.orderInsert"],
      placesOrders: true,
      warmup: false,
    },
    {
      name: "internal.getMany+reserve",
      description: "tRPC getMany then reserve (fresh orderId), alternating, straight to the product service",
      load: { ...base, connections: options.orderConnections, baseUrl: urls.products, requests: internal },
      expectedStatuses: [200],
      ceilings: ["http"],
    },
  ];
}
