import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Api, api, type List, login, newCustomer, type Product, placeOrder } from "./support/client.ts";
import { type E2eSystem, startSystem } from "./support/system.ts";

let system: E2eSystem;
let client: Api;

beforeAll(async () => {
  system = await startSystem();
  client = api(system.gatewayUrl);
}, 240_000);
afterAll(async () => {
  await system?.stop();
}, 60_000);

test("one product-service instance killed mid-run: every request keeps succeeding through the other", async () => {
  const shopper = await newCustomer(client);
  const admin = await login(client, system.admin.email, system.admin.password);
  const { items } = (
    await client.request<List<Product>>("GET", "/api/products?inStock=true&sort=-createdAt&limit=100")
  ).body;
  const target = items.find((p) => p.stock >= 20)!;
  const statuses: string[] = [];
  let ordered = 0;
  let restocked = 0;

  for (let round = 0; round < 16; round++) {
    if (round === 6) {
      await system.stopInstance("products", 0, "SIGKILL");
      expect(system.services.products[0]!.proc.signalCode).toBe("SIGKILL");
    }
    const reads = await Promise.all([
      client.request("GET", "/api/products?limit=5"),
      client.request("GET", `/api/products/${target.id}`),
      client.request("GET", "/api/products?category=books"),
      client.request("GET", `/api/products?q=${encodeURIComponent(target.name.split(" ")[0]!)}`),
    ]);
    statuses.push(...reads.map((r) => `GET ${r.status}`));
    // Writes reach the product service directly (admin restock) and through the order service's tRPC calls.
    const order = await placeOrder(client, shopper.accessToken, [{ productId: target.id, quantity: 1 }]);
    statuses.push(`order ${order.status}`);
    if (order.status === 201) ordered += 1;
    if (round % 3 === 0) {
      const restock = await client.request("PATCH", `/api/products/${target.id}/stock`, {
        token: admin.accessToken,
        body: { quantity: 2 },
      });
      statuses.push(`restock ${restock.status}`);
      if (restock.status === 200) restocked += 2;
    }
  }

  expect(statuses.filter((s) => !/ 20[01]$/.test(s))).toEqual([]);
  const after = (await client.request<Product>("GET", `/api/products/${target.id}`)).body;
  expect(after.stock).toBe(target.stock - ordered + restocked);
  // The survivor did the work after the kill.
  const survivor = system.logs("products").filter((r) => r.source === "products#1");
  expect(survivor.some((r) => r.message === "POST /trpc/reserve 200")).toBe(true);
}, 120_000);
