import { describe, expect, test } from "bun:test";
import { loadConfig } from "@ecom/config";
import { configSchema } from "../src/config.ts";
import { centsToAmount, totalCents } from "../src/domain/money.ts";
import { CANCELLABLE, canTransition } from "../src/domain/order-status.ts";
import { canonicalJson, requestHash } from "../src/domain/request-hash.ts";
import { startRecoveryLoop } from "../src/saga/recovery-loop.ts";

describe("money", () => {
  test("cents become numbers with at most two decimals", () => {
    expect(centsToAmount(1999)).toBe(19.99);
    expect(centsToAmount("10")).toBe(0.1);
    expect(centsToAmount(30n)).toBe(0.3);
    for (let cents = 0; cents < 100_000; cents += 7) {
      const text = JSON.stringify(centsToAmount(cents));
      expect(text).toMatch(/^\d+(\.\d{1,2})?$/);
    }
  });

  test("totals are exact sums of price × quantity", () => {
    expect(
      totalCents([
        { priceCents: 10, quantity: 1 },
        { priceCents: 20, quantity: 1 },
      ]),
    ).toBe(30n);
    expect(totalCents([{ priceCents: 999_999_999, quantity: 100 }])).toBe(99_999_999_900n);
    expect(totalCents([])).toBe(0n);
  });
});

describe("order state machine", () => {
  test("allows only the forward path and cancelling before shipping", () => {
    expect(canTransition("pending", "confirmed")).toBe(true);
    expect(canTransition("confirmed", "shipped")).toBe(true);
    expect(canTransition("shipped", "delivered")).toBe(true);
    expect(canTransition("pending", "cancelled")).toBe(true);
    expect(canTransition("confirmed", "cancelled")).toBe(true);
    expect(canTransition("shipped", "cancelled")).toBe(false);
    expect(canTransition("pending", "shipped")).toBe(false);
    expect(canTransition("delivered", "pending")).toBe(false);
    expect(canTransition("cancelled", "pending")).toBe(false);
    expect(canTransition("pending", "pending")).toBe(false);
    expect(CANCELLABLE).toEqual(["pending", "confirmed"]);
  });
});

describe("request hash", () => {
  test("ignores key order and undefined fields, and sees every value", () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: null }], c: undefined })).toBe(
      '{"a":[{"x":null,"y":2}],"b":1}',
    );
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("config", () => {
  test("defaults run locally with nothing set", () => {
    const config = loadConfig(configSchema, {});
    expect(config.PORT).toBe(3003);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.USER_SERVICE_URL).toBe("http://127.0.0.1:3001");
    expect(config.PRODUCT_SERVICE_URL).toBe("http://127.0.0.1:3002");
    expect(config.RECOVERY_INTERVAL_MS).toBe(5_000);
    expect(config.IDEMPOTENCY_TTL_HOURS).toBe(24);
    expect(config.DATA_DIR).toEndWith("/.data/order-service");
  });

  test("production refuses the local fallbacks and the crash hook", () => {
    const prod = { NODE_ENV: "production", DATABASE_URL: "postgres://db/orders_db" };
    expect(() => loadConfig(configSchema, prod)).toThrow("INTERNAL_SERVICE_TOKEN");
    const secret = { ...prod, INTERNAL_SERVICE_TOKEN: "a-real-production-secret" };
    expect(loadConfig(configSchema, secret).DATABASE_URL).toBe("postgres://db/orders_db");
    expect(() => loadConfig(configSchema, { ...secret, CRASH_AFTER_RESERVE: "1" })).toThrow(
      "CRASH_AFTER_RESERVE",
    );
    expect(() => loadConfig(configSchema, { ...secret, IDEMPOTENCY_TTL_HOURS: "1" })).toThrow(
      "IDEMPOTENCY_TTL_HOURS",
    );
  });

  test("a grace period no longer than a reserve call may take is refused, naming the variable", () => {
    const defaults = loadConfig(configSchema, {});
    expect(defaults.RECOVERY_GRACE_MS).toBe(10_000);
    expect(defaults.RECOVERY_LEASE_MS).toBe(5_000);
    // 3 000 ms per attempt, 3 attempts: 9 000 ms.
    expect(() => loadConfig(configSchema, { RECOVERY_GRACE_MS: "9000" })).toThrow(
      "Invalid environment variable RECOVERY_GRACE_MS: must exceed DEPENDENCY_TIMEOUT_MS × (DEPENDENCY_RETRIES + 1) = 9000 ms",
    );
    expect(() =>
      loadConfig(configSchema, { RECOVERY_GRACE_MS: "10000", DEPENDENCY_TIMEOUT_MS: "4000" }),
    ).toThrow("RECOVERY_GRACE_MS");
    expect(
      loadConfig(configSchema, { RECOVERY_GRACE_MS: "2000", DEPENDENCY_TIMEOUT_MS: "600" }).RECOVERY_GRACE_MS,
    ).toBe(2_000);
  });

  test("a recovery lease no longer than one call's deadline is refused, naming the variable", () => {
    expect(() => loadConfig(configSchema, { RECOVERY_LEASE_MS: "3000" })).toThrow(
      "Invalid environment variable RECOVERY_LEASE_MS: must exceed DEPENDENCY_TIMEOUT_MS (3000 ms)",
    );
    expect(() => loadConfig(configSchema, { RECOVERY_LEASE_MS: "soon" })).toThrow("RECOVERY_LEASE_MS");
  });
});

describe("recovery loop", () => {
  test("runs at once, then on its interval, never overlapping, and stop waits for the running pass", async () => {
    // Each pass runs until the test finishes it, so what the loop does is decided by events, not timing.
    const started = [1, 2, 3].map(() => Promise.withResolvers<() => void>());
    let passes = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const warnings: string[] = [];
    const loop = startRecoveryLoop({
      intervalMs: 10,
      log: { warn: (m) => warnings.push(m) },
      pass: async () => {
        const n = passes++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        const finished = Promise.withResolvers<void>();
        started[n]?.resolve(finished.resolve);
        await finished.promise;
        concurrent--;
        if (n === 1) throw new Error("database away");
        return {};
      },
    });
    const finishFirst = await started[0]!.promise;
    // Several intervals go by while the first pass runs: none may start beside it.
    await Bun.sleep(50);
    expect(passes).toBe(1);
    finishFirst();
    // The second pass fails; the loop goes on with a third.
    (await started[1]!.promise)();
    const finishThird = await started[2]!.promise;
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await Bun.sleep(0); // a stop that did not wait for the pass would have resolved by now
    expect(stopped).toBe(false);
    finishThird();
    await stopping;
    // Stopped: intervals go by and no further pass starts.
    await Bun.sleep(50);
    expect(passes).toBe(3);
    expect(maxConcurrent).toBe(1);
    expect(concurrent).toBe(0);
    expect(warnings).toEqual(["recovery pass failed"]);
  });

  test("comes back as soon as a pass says a row becomes claimable, not a whole interval later", async () => {
    let passes = 0;
    const { promise: secondPass, resolve } = Promise.withResolvers<void>();
    const loop = startRecoveryLoop({
      // An interval far beyond the test's timeout: only the hint can bring the second pass.
      intervalMs: 3_600_000,
      log: { warn: () => {} },
      pass: async () => {
        passes++;
        if (passes === 2) resolve();
        return { nextInMs: 5 };
      },
    });
    await secondPass;
    await loop.stop();
    expect(passes).toBeGreaterThanOrEqual(2);
  });
});
