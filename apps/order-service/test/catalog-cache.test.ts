import { describe, expect, test } from "bun:test";
import { type CatalogProduct, createCatalogCache } from "../src/clients/catalog-cache.ts";

const product = (id: string, changes: Partial<CatalogProduct> = {}): CatalogProduct => ({
  id,
  name: `Product ${id}`,
  priceCents: 500,
  stock: 10,
  isActive: true,
  ...changes,
});

describe("catalog cache", () => {
  const setup = (ttlMs: number, maxEntries = 10) => {
    let now = 1_000;
    const cache = createCatalogCache({ ttlMs, maxEntries, clock: { now: () => new Date(now) } });
    return { cache, advance: (ms: number) => (now += ms) };
  };
  const line = (productId: string, quantity = 1) => ({ productId, quantity });

  test("answers only when every product is known, in the lines' order, until the TTL has passed", () => {
    const { cache, advance } = setup(30_000);
    cache.remember([product("a"), product("b")]);
    expect(cache.lookup([line("b"), line("a")])?.map((p) => p.id)).toEqual(["b", "a"]);
    expect(cache.lookup([line("a"), line("c")])).toBeUndefined();
    advance(29_999);
    expect(cache.lookup([line("a")])).toHaveLength(1);
    advance(1);
    expect(cache.lookup([line("a")])).toBeUndefined();
  });

  test("never answers for an inactive product or one that looked short: those are read again", () => {
    const { cache } = setup(30_000);
    cache.remember([product("a", { stock: 3 }), product("b", { isActive: false })]);
    expect(cache.lookup([line("a", 3)])).toHaveLength(1);
    expect(cache.lookup([line("a", 4)])).toBeUndefined();
    expect(cache.lookup([line("b")])).toBeUndefined();
  });

  test("forget drops products; a later remember replaces what was known", () => {
    const { cache } = setup(30_000);
    cache.remember([product("a"), product("b")]);
    cache.forget(["a"]);
    expect(cache.lookup([line("a")])).toBeUndefined();
    cache.remember([product("b", { priceCents: 700 })]);
    expect(cache.lookup([line("b")])?.[0]?.priceCents).toBe(700);
  });

  test("keeps at most maxEntries products, dropping the least recently stored", () => {
    const { cache } = setup(30_000, 2);
    cache.remember([product("a"), product("b")]);
    cache.remember([product("a")]);
    cache.remember([product("c")]);
    expect(["a", "b", "c"].map((id) => cache.lookup([line(id)]) !== undefined)).toEqual([true, false, true]);
  });

  test("a TTL of 0 remembers nothing", () => {
    const { cache } = setup(0);
    cache.remember([product("a")]);
    expect(cache.lookup([line("a")])).toBeUndefined();
  });
});
