import { describe, expect, test } from "bun:test";
import { createReadCache } from "../../src/read-cache/read-cache.ts";

function manualClock() {
  let ms = Date.UTC(2026, 0, 1);
  return { now: () => new Date(ms), advance: (by: number) => (ms += by) };
}

/** A load whose answer the test gives when it wants, counting how often the cache asked. */
function controlledLoads<V>() {
  const waiting: ((value: V) => void)[] = [];
  let calls = 0;
  return {
    load: () =>
      new Promise<V>((resolve) => {
        calls += 1;
        waiting.push(resolve);
      }),
    answer: (value: V) => waiting.shift()?.(value),
    get calls() {
      return calls;
    },
  };
}

const one = () => 1;

describe("read cache", () => {
  test("serves a value until its TTL has passed, then loads again", async () => {
    const clock = manualClock();
    const cache = createReadCache({ ttlMs: 1_000, maxWeight: 10, clock });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.read("k", load, one)).toBe(1);
    clock.advance(999);
    expect(await cache.read("k", load, one)).toBe(1);
    clock.advance(1);
    expect(await cache.read("k", load, one)).toBe(2);
  });

  test("concurrent misses on one key share one load", async () => {
    const cache = createReadCache({ ttlMs: 1_000, maxWeight: 10, clock: manualClock() });
    const loads = controlledLoads<string>();
    const readers = Array.from({ length: 50 }, () => cache.read("k", loads.load, one));
    loads.answer("v");
    expect(await Promise.all(readers)).toEqual(Array(50).fill("v"));
    expect(loads.calls).toBe(1);
  });

  test("a load begun before clear answers its callers but is not kept", async () => {
    const cache = createReadCache({ ttlMs: 1_000, maxWeight: 10, clock: manualClock() });
    const loads = controlledLoads<string>();
    const before = cache.read("k", loads.load, one);
    cache.clear();
    const after = cache.read("k", loads.load, one);
    loads.answer("read before the write");
    loads.answer("read after the write");
    expect(await before).toBe("read before the write");
    expect(await after).toBe("read after the write");
    expect(await cache.read("k", loads.load, one)).toBe("read after the write");
    expect(loads.calls).toBe(2);
  });

  test("failed loads are not kept", async () => {
    const cache = createReadCache({ ttlMs: 1_000, maxWeight: 10, clock: manualClock() });
    let attempt = 0;
    const load = async () => {
      attempt += 1;
      if (attempt === 1) throw new Error("store down");
      return "back";
    };
    await expect(cache.read("k", load, one)).rejects.toThrow("store down");
    expect(await cache.read("k", load, one)).toBe("back");
  });

  test("keeps the total weight under its bound, dropping the least recently used first", async () => {
    const cache = createReadCache({ ttlMs: 60_000, maxWeight: 5, clock: manualClock() });
    const weigh = (v: number[]) => v.length;
    await cache.read("a", async () => [1, 2], weigh);
    await cache.read("b", async () => [1, 2], weigh);
    await cache.read("a", async () => [9], weigh);
    await cache.read("c", async () => [1, 2], weigh);
    expect(cache.size).toEqual({ entries: 2, weight: 4 });
    expect(await cache.read("a", async () => [0], weigh)).toEqual([1, 2]);
    expect(await cache.read("b", async () => [7], weigh)).toEqual([7]);
    await cache.read("huge", async () => [1, 2, 3, 4, 5, 6], weigh);
    expect(cache.size.weight).toBeLessThanOrEqual(5);
  });

  test("a TTL of 0 loads every time", async () => {
    const cache = createReadCache({ ttlMs: 0, maxWeight: 10, clock: manualClock() });
    let loads = 0;
    await cache.read("k", async () => ++loads, one);
    await cache.read("k", async () => ++loads, one);
    expect(loads).toBe(2);
    expect(cache.size.entries).toBe(0);
  });
});
