import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { demoCatalog } from "../src/seed/demo-catalog.ts";
import { seedCatalog } from "../src/seed/seed-catalog.ts";
import { uuidV5 } from "../src/seed/uuid-v5.ts";
import { type Fixture, startFixture } from "./support/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

describe("demo catalog", () => {
  test("at least 50 valid products over several categories, with unique deterministic ids", () => {
    expect(demoCatalog.length).toBeGreaterThanOrEqual(50);
    const categories = new Set(demoCatalog.map((p) => p.category));
    expect([...categories].sort()).toEqual(["books", "clothing", "electronics", "home", "sports", "toys"]);
    expect(new Set(demoCatalog.map((p) => p.id)).size).toBe(demoCatalog.length);
    for (const p of demoCatalog) {
      expect(p.images?.[0]).toStartWith("https://images.example.com/");
      expect(p.tags?.length).toBeGreaterThan(0);
    }
  });

  test("ids are RFC 9562 version-5 UUIDs", () => {
    // The RFC's own example: the DNS namespace and "www.example.com".
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });
});

describe("seeding", () => {
  test("seeding twice keeps the count and never overwrites live stock or edits", async () => {
    const first = await seedCatalog(f.db.products, demoCatalog, new Date());
    expect(first).toEqual({ inserted: demoCatalog.length, existing: 0 });
    const listed = await (
      await f.call("GET", "/api/products?limit=100&includeInactive=true", { token: f.adminToken })
    ).json();
    expect(listed.total).toBe(demoCatalog.length);

    const sample = demoCatalog[0];
    if (!sample) throw new Error("empty catalog");
    await f.call("PATCH", `/api/products/${sample.id}/stock`, { token: f.adminToken, body: { quantity: 7 } });
    await f.call("PATCH", `/api/products/${sample.id}`, { token: f.adminToken, body: { price: 1.23 } });
    const before = await (await f.call("GET", `/api/products/${sample.id}`)).json();

    const second = await seedCatalog(f.db.products, demoCatalog, new Date());
    expect(second).toEqual({ inserted: 0, existing: demoCatalog.length });
    expect(await f.db.products.countDocuments()).toBe(demoCatalog.length);
    const after = await (await f.call("GET", `/api/products/${sample.id}`)).json();
    expect(after).toEqual(before);
    expect(after.stock).toBe(sample.stock + 7);
  });

  test("seeded products are served like any other, price and all", async () => {
    const sample = demoCatalog.find((p) => p.price === 79.5);
    if (!sample) throw new Error("no 79.50 product in the catalog");
    const got = await (await f.call("GET", `/api/products/${sample.id}`)).json();
    expect(got).toMatchObject({ id: sample.id, name: sample.name, price: 79.5, category: sample.category });
    const electronics = await (await f.call("GET", "/api/products?category=electronics&limit=100")).json();
    expect(electronics.total).toBe(demoCatalog.filter((p) => p.category === "electronics").length);
  });
});
