import { describe, expect, test } from "bun:test";
import { createActiveUserCache } from "../src/clients/active-user-cache.ts";

describe("active-user cache", () => {
  const setup = (ttlMs: number, maxEntries = 10) => {
    let now = 1_000;
    const cache = createActiveUserCache({ ttlMs, maxEntries, clock: { now: () => new Date(now) } });
    return { cache, advance: (ms: number) => (now += ms) };
  };

  test("trusts a remembered user only until the TTL has passed", () => {
    const { cache, advance } = setup(5_000);
    expect(cache.isKnownActive("u1")).toBe(false);
    cache.rememberActive("u1");
    advance(4_999);
    expect(cache.isKnownActive("u1")).toBe(true);
    advance(1);
    // From here on the user service is asked again, so a deactivated user is refused.
    expect(cache.isKnownActive("u1")).toBe(false);
  });

  test("keeps at most maxEntries users, dropping the least recently remembered", () => {
    const { cache } = setup(5_000, 2);
    cache.rememberActive("a");
    cache.rememberActive("b");
    cache.rememberActive("a");
    cache.rememberActive("c");
    expect(["a", "b", "c"].map((id) => cache.isKnownActive(id))).toEqual([true, false, true]);
  });

  test("a TTL of 0 remembers nothing", () => {
    const { cache } = setup(0);
    cache.rememberActive("u1");
    expect(cache.isKnownActive("u1")).toBe(false);
  });
});
