import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct, type Fixture, startFixture } from "./support/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const adjust = (id: string, quantity: unknown, token = f.adminToken) =>
  f.call("PATCH", `/api/products/${id}/stock`, { token, body: { quantity } });

describe("PATCH /api/products/:id/stock", () => {
  test("applies signed deltas and returns the product", async () => {
    const p = await createProduct(f, { stock: 5 });
    const up = await adjust(p.id, 7);
    expect(up.status).toBe(200);
    expect((await up.json()).stock).toBe(12);
    const down = await adjust(p.id, -12);
    expect((await down.json()).stock).toBe(0);
    expect((await (await adjust(p.id, 0)).json()).stock).toBe(0);
  });

  test("a result below zero is 400 INSUFFICIENT_STOCK with details, and stock is unchanged", async () => {
    const p = await createProduct(f, { stock: 3 });
    const res = await adjust(p.id, -4);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("INSUFFICIENT_STOCK");
    expect(error.details).toEqual({ productId: p.id, requested: 4, available: 3 });
    expect((await (await f.call("GET", `/api/products/${p.id}`)).json()).stock).toBe(3);
  });

  test("non-integer or out-of-range deltas are 400; unknown products 404", async () => {
    const p = await createProduct(f);
    for (const quantity of [1.5, "1", null, 2_000_000_000, true]) {
      expect((await adjust(p.id, quantity)).status).toBe(400);
    }
    expect(
      (await f.call("PATCH", `/api/products/${p.id}/stock`, { token: f.adminToken, body: {} })).status,
    ).toBe(400);
    expect((await adjust(crypto.randomUUID(), 1)).status).toBe(404);
    expect((await adjust(crypto.randomUUID(), -1)).status).toBe(404);
  });

  test("20 concurrent +1/-1 deltas end at the exact sum", async () => {
    const p = await createProduct(f, { stock: 10 });
    const deltas = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? -1 : 1));
    const results = await Promise.all(deltas.map((d) => adjust(p.id, d)));
    expect(results.map((r) => r.status)).toEqual(deltas.map(() => 200));
    const expected = 10 + deltas.reduce((a, b) => a + b, 0);
    expect((await (await f.call("GET", `/api/products/${p.id}`)).json()).stock).toBe(expected);
  });

  test("concurrent decrements never go below zero: exactly the available units succeed", async () => {
    const p = await createProduct(f, { stock: 7 });
    const results = await Promise.all(Array.from({ length: 20 }, () => adjust(p.id, -1)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(7);
    expect(results.filter((r) => r.status === 400)).toHaveLength(13);
    expect((await (await f.call("GET", `/api/products/${p.id}`)).json()).stock).toBe(0);
  });
});
