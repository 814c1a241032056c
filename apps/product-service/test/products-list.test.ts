import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct, type Fixture, startFixture } from "./support/fixture.ts";

type Item = { id: string; name: string; price: number; stock: number; createdAt: string; tags: string[] };
type List = { items: Item[]; page: number; limit: number; total: number };

let f: Fixture;
const names = (list: List) => list.items.map((i) => i.name);
const list = async (query: string, token?: string): Promise<List> => {
  const res = await f.call("GET", `/api/products${query}`, { token });
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  return res.json() as Promise<List>;
};

beforeAll(async () => {
  f = await startFixture();
  const rows: [string, string, number, string, number, string[], boolean?][] = [
    ["Alpha Lamp", "Warm desk light", 25, "home", 3, ["light", "desk"]],
    ["Bravo Kettle", "Boils water fast (1.7 L)", 40, "home", 0, ["kitchen"]],
    ["Charlie Phone", "A smart phone with a big screen", 499.99, "electronics", 10, ["mobile", "smart"]],
    ["Delta Speaker", "Smart speaker; loud and clear", 89.5, "electronics", 7, ["audio", "smart"]],
    ["Echo Novel", "A mystery novel. Price: $9.99 [paperback]", 9.99, "books", 100, ["fiction"]],
    ["Foxtrot Jacket", "Waterproof jacket", 150, "clothing", 2, ["outdoor", "waterproof"]],
    ["Golf Hidden", "Retired smart item", 10, "electronics", 5, ["smart"], false],
  ];
  for (const [name, description, price, category, stock, tags, isActive] of rows) {
    await createProduct(f, { name, description, price, category, stock, tags, isActive });
    await Bun.sleep(5); // distinct createdAt values for the createdAt sort
  }
});
afterAll(() => f.close());

describe("GET /api/products filters", () => {
  test("defaults: active products only, newest first, page 1, limit 20", async () => {
    const all = await list("");
    expect(all).toMatchObject({ page: 1, limit: 20, total: 6 });
    expect(names(all)).toEqual([
      "Foxtrot Jacket",
      "Echo Novel",
      "Delta Speaker",
      "Charlie Phone",
      "Bravo Kettle",
      "Alpha Lamp",
    ]);
  });

  test("q is a case-insensitive substring of name or description", async () => {
    expect(names(await list("?q=SMART")).sort()).toEqual(["Charlie Phone", "Delta Speaker"]);
    expect(names(await list("?q=kettle"))).toEqual(["Bravo Kettle"]);
    expect(names(await list("?q=%20water%20"))).toEqual(["Foxtrot Jacket", "Bravo Kettle"]);
    expect(names(await list("?q=1.7%20L)"))).toEqual(["Bravo Kettle"]);
    expect((await list("?q=nothing-like-this")).total).toBe(0);
  });

  test("category, tags (all must match), price range, inStock", async () => {
    expect(names(await list("?category=electronics")).sort()).toEqual(["Charlie Phone", "Delta Speaker"]);
    expect(names(await list("?category=Electronics")).sort()).toEqual(["Charlie Phone", "Delta Speaker"]);
    expect(names(await list("?tags=smart")).sort()).toEqual(["Charlie Phone", "Delta Speaker"]);
    expect(names(await list("?tags=smart,audio"))).toEqual(["Delta Speaker"]);
    expect(names(await list("?tags=smart,%20,audio,"))).toEqual(["Delta Speaker"]);
    expect((await list("?tags=smart,kitchen")).total).toBe(0);
    expect(names(await list("?minPrice=40&maxPrice=150&sort=price"))).toEqual([
      "Bravo Kettle",
      "Delta Speaker",
      "Foxtrot Jacket",
    ]);
    expect(names(await list("?minPrice=89.5&maxPrice=89.5"))).toEqual(["Delta Speaker"]);
    expect(names(await list("?maxPrice=9.99"))).toEqual(["Echo Novel"]);
    expect(names(await list("?inStock=true")).includes("Bravo Kettle")).toBe(false);
    expect((await list("?inStock=true")).total).toBe(5);
    expect((await list("?inStock=false")).total).toBe(6);
    expect(names(await list("?category=home&inStock=true&q=lamp&tags=desk&minPrice=1"))).toEqual([
      "Alpha Lamp",
    ]);
  });

  test("sorts: price, -price, name, -createdAt", async () => {
    const prices = (l: List) => l.items.map((i) => i.price);
    expect(prices(await list("?sort=price"))).toEqual([9.99, 25, 40, 89.5, 150, 499.99]);
    expect(prices(await list("?sort=-price"))).toEqual([499.99, 150, 89.5, 40, 25, 9.99]);
    expect(names(await list("?sort=name"))).toEqual([
      "Alpha Lamp",
      "Bravo Kettle",
      "Charlie Phone",
      "Delta Speaker",
      "Echo Novel",
      "Foxtrot Jacket",
    ]);
    const created = (await list("?sort=-createdAt")).items.map((i) => i.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  test("pagination: pages partition the result; past the end is empty with the right total", async () => {
    const p1 = await list("?sort=name&limit=4&page=1");
    const p2 = await list("?sort=name&limit=4&page=2");
    expect(p1).toMatchObject({ page: 1, limit: 4, total: 6 });
    expect(p1.items).toHaveLength(4);
    expect(p2.items).toHaveLength(2);
    expect([...names(p1), ...names(p2)]).toEqual(names(await list("?sort=name")));
    const past = await list("?limit=4&page=3");
    expect(past).toEqual({ items: [], page: 3, limit: 4, total: 6 });
    expect((await list("?limit=100")).items).toHaveLength(6);
    expect((await list("?limit=1")).items).toHaveLength(1);
  });

  test("inactive products only for an admin who asks for them", async () => {
    expect((await list("?includeInactive=true")).total).toBe(6);
    expect((await list("?includeInactive=true", f.customerToken)).total).toBe(6);
    expect((await list("", f.adminToken)).total).toBe(6);
    const admin = await list("?includeInactive=true&category=electronics", f.adminToken);
    expect(names(admin).sort()).toEqual(["Charlie Phone", "Delta Speaker", "Golf Hidden"]);
  });

  test("invalid query values are 400", async () => {
    const bad = [
      "?limit=0",
      "?limit=101",
      "?limit=-1",
      "?limit=abc",
      "?limit=1.5",
      "?page=0",
      "?page=-1",
      "?page=",
      "?sort=stock",
      "?sort=%24natural",
      "?minPrice=abc",
      "?minPrice=1.234",
      "?maxPrice=-5",
      "?inStock=yes",
      "?includeInactive=1",
      `?q=${"x".repeat(201)}`,
    ];
    for (const query of bad) {
      const res = await f.call("GET", `/api/products${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect((await res.json()).error.code).toBe("VALIDATION_ERROR");
    }
  });
});
