import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type Api,
  api,
  type ErrorBody,
  type List,
  login,
  newCustomer,
  type Order,
  type Product,
  placeOrder,
} from "./support/client.ts";
import { type E2eSystem, startSystem } from "./support/system.ts";
import { waitUntil } from "./support/wait-until.ts";

let system: E2eSystem;
let client: Api;

beforeAll(async () => {
  system = await startSystem({ bunGateway: true });
  client = api(system.gatewayUrl);
}, 240_000);
afterAll(async () => {
  await system?.stop();
}, 60_000);

const product = async (id: string) => (await client.request<Product>("GET", `/api/products/${id}`)).body;
/**
 * Catalog reads may lag another replica's stock change by the read cache's TTL (the contract's
 * staleness bound), and requests here spread over two replicas: wait until the stock shows.
 */
const stockShows = (id: string, expected: number) =>
  waitUntil(`stock ${expected} shown for ${id}`, async () => (await product(id)).stock === expected, {
    describe: async () => `stock ${(await product(id)).stock}`,
  });

describe("the seed's sequence over HTTPS through nginx", () => {
  test("register → login → list products → place order → 201 with stock decremented", async () => {
    const email = `seed-${crypto.randomUUID()}@example.com`;
    const registered = await client.request<{ user: { role: string }; tokenType: string }>(
      "POST",
      "/api/users/register",
      { body: { email, password: "password-123", firstName: "Ada", lastName: "Lovelace" } },
    );
    expect(registered.status).toBe(201);
    expect(registered.body.user.role).toBe("customer");
    const session = await login(client, email, "password-123");

    const list = await client.request<List<Product>>("GET", "/api/products?inStock=true&limit=10");
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const chosen = list.body.items[0]!;

    const order = await placeOrder(client, session.accessToken, [{ productId: chosen.id, quantity: 2 }]);
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({
      status: "pending",
      userId: session.user.id,
      items: [{ productId: chosen.id, productName: chosen.name, quantity: 2, price: chosen.price }],
    });
    expect(order.body.totalAmount).toBe(Math.round(chosen.price * 200) / 100);
    await stockShows(chosen.id, chosen.stock - 2);
  });

  test("not enough stock → 400 INSUFFICIENT_STOCK with details, and no stock taken for any line", async () => {
    const session = await newCustomer(client);
    const { items } = (await client.request<List<Product>>("GET", "/api/products?inStock=true&limit=100"))
      .body;
    const plenty = items[0]!;
    // A quantity is at most 100, so "one more than in stock" needs a product with fewer than 100.
    const scarce = items.find((p) => p.id !== plenty.id && p.stock < 100)!;
    const res = await client.request<ErrorBody>("POST", "/api/orders", {
      token: session.accessToken,
      body: {
        items: [
          { productId: plenty.id, quantity: 1 },
          { productId: scarce.id, quantity: scarce.stock + 1 },
        ],
        shippingAddress: { line1: "1 Main Street", city: "Berlin", postalCode: "10115", country: "DE" },
        paymentMethod: "card",
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("INSUFFICIENT_STOCK");
    expect(res.body.error.details).toEqual([
      { productId: scarce.id, requested: scarce.stock + 1, available: scarce.stock },
    ]);
    await stockShows(plenty.id, plenty.stock);
    await stockShows(scarce.id, scarce.stock);
  });
});

describe("a browsing shopper", () => {
  test("search, filter, page, detail, order, list my orders, cancel, stock back", async () => {
    const shopper = await newCustomer(client);

    const search = await client.request<List<Product>>("GET", "/api/products?q=headphones");
    expect(search.status).toBe(200);
    expect(search.body.items.length).toBeGreaterThan(0);
    expect(
      search.body.items.every((p) => `${p.name} ${p.description}`.toLowerCase().includes("headphones")),
    ).toBe(true);

    const books = await client.request<List<Product>>(
      "GET",
      "/api/products?category=books&minPrice=5&maxPrice=30&sort=price&limit=100",
    );
    expect(books.body.items.length).toBeGreaterThan(0);
    expect(books.body.items.every((p) => p.category === "books" && p.price >= 5 && p.price <= 30)).toBe(true);
    const prices = books.body.items.map((p) => p.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));

    const page1 = await client.request<List<Product>>("GET", "/api/products?limit=5&page=1&sort=name");
    const page2 = await client.request<List<Product>>("GET", "/api/products?limit=5&page=2&sort=name");
    expect(page1.body).toMatchObject({ page: 1, limit: 5 });
    expect(page2.body).toMatchObject({ page: 2, limit: 5, total: page1.body.total });
    const ids1 = page1.body.items.map((p) => p.id);
    expect(page2.body.items.some((p) => ids1.includes(p.id))).toBe(false);

    const chosen = books.body.items.find((p) => p.stock >= 3)!;
    const detail = await client.request<Product>("GET", `/api/products/${chosen.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: chosen.id, name: chosen.name, price: chosen.price });

    const placed = await placeOrder(client, shopper.accessToken, [{ productId: chosen.id, quantity: 3 }]);
    expect(placed.status).toBe(201);
    await stockShows(chosen.id, detail.body.stock - 3);

    const mine = await client.request<List<Order>>("GET", "/api/orders", { token: shopper.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((o) => o.id)).toEqual([placed.body.id]);

    const cancelled = await client.request<Order>("POST", `/api/orders/${placed.body.id}/cancel`, {
      token: shopper.accessToken,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    await stockShows(chosen.id, detail.body.stock);

    const again = await client.request<ErrorBody>("POST", `/api/orders/${placed.body.id}/cancel`, {
      token: shopper.accessToken,
    });
    expect(again.status).toBe(409);
    await stockShows(chosen.id, detail.body.stock);
  });
});

describe("an admin", () => {
  test("creates a product, restocks it, and moves a customer's order to shipped and delivered", async () => {
    const admin = await login(client, system.admin.email, system.admin.password);
    expect(admin.user.role).toBe("admin");

    const created = await client.request<Product>("POST", "/api/products", {
      token: admin.accessToken,
      body: {
        name: `E2E Lamp ${crypto.randomUUID().slice(0, 8)}`,
        description: "A lamp made by the end-to-end suite",
        price: 24.99,
        category: "home",
        stock: 2,
        tags: ["e2e"],
      },
    });
    expect(created.status).toBe(201);
    const lamp = created.body;

    const customer = await newCustomer(client);
    const denied = await client.request<ErrorBody>("PATCH", `/api/products/${lamp.id}/stock`, {
      token: customer.accessToken,
      body: { quantity: 10 },
    });
    expect(denied.status).toBe(403);

    const restocked = await client.request<Product>("PATCH", `/api/products/${lamp.id}/stock`, {
      token: admin.accessToken,
      body: { quantity: 8 },
    });
    expect(restocked.status).toBe(200);
    expect(restocked.body.stock).toBe(10);

    const order = await placeOrder(client, customer.accessToken, [{ productId: lamp.id, quantity: 4 }]);
    expect(order.status).toBe(201);
    expect(order.body.totalAmount).toBe(99.96);
    await stockShows(lamp.id, 6);

    const skip = await client.request<ErrorBody>("PATCH", `/api/orders/${order.body.id}/status`, {
      token: admin.accessToken,
      body: { status: "delivered" },
    });
    expect(skip.status).toBe(409);
    expect(skip.body.error.code).toBe("INVALID_TRANSITION");

    for (const status of ["confirmed", "shipped", "delivered"]) {
      const moved = await client.request<Order>("PATCH", `/api/orders/${order.body.id}/status`, {
        token: admin.accessToken,
        body: { status },
      });
      expect(moved.status).toBe(200);
      expect(moved.body.status).toBe(status);
    }
    const seen = await client.request<Order>("GET", `/api/orders/${order.body.id}`, {
      token: customer.accessToken,
    });
    expect(seen.body.status).toBe("delivered");
    const all = await client.request<List<Order>>("GET", `/api/orders?userId=${customer.user.id}`, {
      token: admin.accessToken,
    });
    expect(all.body.items.map((o) => o.id)).toEqual([order.body.id]);
  });
});

describe("tracing", () => {
  test("the client's x-request-id appears in the logs of every service that handled the order", async () => {
    const shopper = await newCustomer(client);
    const { items } = (await client.request<List<Product>>("GET", "/api/products?inStock=true&limit=1")).body;
    const requestId = `e2e-trace-${crypto.randomUUID()}`;
    const res = await placeOrder(client, shopper.accessToken, [{ productId: items[0]!.id, quantity: 1 }], {
      "x-request-id": requestId,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toBe(requestId);
    const traced = (of: "users" | "products" | "orders" | "nginx") =>
      system.logs(of).filter((r) => r["trace.id"] === requestId);
    const seen = () => {
      const messages = (of: "users" | "products" | "orders") => traced(of).map((r) => String(r.message));
      // nginx logs the public request and, on its internal ports, the service-to-service calls.
      const edge = traced("nginx").map(
        (r) => `${r["http.request.method"]} ${r["url.path"]} ${r["http.response.status_code"]}`,
      );
      return {
        order: messages("orders").includes("POST /api/orders 201"),
        // The order service asked the user service about the caller and the product service for prices and stock.
        userLookup: messages("users").some((m) => m.includes("/trpc/getById")),
        reserve: messages("products").some((m) => m.includes("/trpc/reserve")),
        edgeOrder: edge.includes("POST /api/orders 201"),
        edgeReserve: edge.includes("POST /trpc/reserve 200"),
      };
    };
    // Each process writes its access-log line just after its response, in its own time.
    await waitUntil("the request id in every log", () => Object.values(seen()).every(Boolean), {
      describe: () => JSON.stringify(seen()),
    });
    expect(seen()).toEqual({
      order: true,
      userLookup: true,
      reserve: true,
      edgeOrder: true,
      edgeReserve: true,
    });
  });
});

describe("the Bun gateway in front of the same instances", () => {
  test("routes the public API, serves the combined docs, and keeps /trpc and /metrics out", async () => {
    const local = api(system.bunGatewayUrl!);
    const shopper = await newCustomer(local);
    const { items } = (await local.request<List<Product>>("GET", "/api/products?inStock=true&limit=1")).body;
    const order = await placeOrder(local, shopper.accessToken, [{ productId: items[0]!.id, quantity: 1 }]);
    expect(order.status).toBe(201);
    const docs = await local.request<string>("GET", "/docs");
    for (const name of ["users", "products", "orders"])
      expect(docs.body).toContain(`/docs/${name}/openapi.json`);
    expect(docs.body).toContain("/api/orders/{id}/cancel");
    const spec = await local.request<{ paths: Record<string, unknown> }>(
      "GET",
      "/docs/products/openapi.json",
    );
    expect(Object.keys(spec.body.paths)).toContain("/api/products");
    for (const path of ["/trpc/getById", "/metrics"]) {
      expect((await local.request<ErrorBody>("GET", path)).status).toBe(404);
    }
  });
});
