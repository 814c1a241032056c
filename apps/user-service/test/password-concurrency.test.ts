import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPostgres, waitUntil } from "@ecom/test-harness";
import { type ConcurrencyLimiter, createConcurrencyLimiter } from "../src/security/concurrency-limiter.ts";
import { createPasswordHasher, PasswordHashingBusyError } from "../src/security/passwords.ts";
import { call, expectError, register } from "./support/http.ts";
import { createTestApp, type TestApp } from "./support/test-app.ts";

/** The real limiter, counting how many argon2id calls are inside it at once. */
function countingLimiter(inner: ConcurrencyLimiter) {
  const stats = { calls: 0, active: 0, peak: 0 };
  const limiter: ConcurrencyLimiter = {
    run: (task) =>
      inner.run(async () => {
        stats.calls++;
        stats.active++;
        stats.peak = Math.max(stats.peak, stats.active);
        try {
          return await task();
        } finally {
          stats.active--;
        }
      }),
    get running() {
      return inner.running;
    },
    get queued() {
      return inner.queued;
    },
  };
  return { limiter, stats };
}

describe("password hasher", () => {
  test("every hash, verify and dummy verify runs inside the limiter, never more than its limit", async () => {
    const { limiter, stats } = countingLimiter(createConcurrencyLimiter({ limit: 2, maxQueued: 20 }));
    const passwords = createPasswordHasher(limiter);
    const stored = await passwords.hash("correct horse battery");
    const results = await Promise.all([
      passwords.verify("correct horse battery", stored),
      passwords.verify("wrong", stored),
      passwords.verifyNothing("anything"),
      passwords.verifyNothing("anything else"),
      passwords.hash("another password").then((h) => h.startsWith("$argon2id$")),
      passwords.verify("correct horse battery", stored),
    ]);
    expect(results).toEqual([true, false, false, false, true, true]);
    // The dummy hash made at creation, the first hash, and the six calls above.
    expect(stats.calls).toBe(8);
    expect(stats.peak).toBe(2);
  });

  test("a full queue is a 503 DEPENDENCY_UNAVAILABLE with Retry-After", async () => {
    const inner = createConcurrencyLimiter({ limit: 1, maxQueued: 1 });
    const passwords = createPasswordHasher(inner);
    const stored = await passwords.hash("pw-for-busy-test");
    // One verification running, one waiting: the queue is full.
    const { promise: hold, resolve: release } = Promise.withResolvers<void>();
    const held = inner.run(() => hold);
    const waiting = passwords.verify("pw-for-busy-test", stored);
    const error = await passwords.verify("pw-for-busy-test", stored).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PasswordHashingBusyError);
    expect(error).toMatchObject({
      status: 503,
      errorCode: "DEPENDENCY_UNAVAILABLE",
      headers: { "retry-after": "1" },
    });
    release();
    await held;
    expect(await waiting).toBe(true);
    expect(await passwords.verify("pw-for-busy-test", stored)).toBe(true);
  });
});

const pg = await startPostgres();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(pg.url, { PASSWORD_HASH_CONCURRENCY: "1", PASSWORD_HASH_QUEUE_MAX: "1" });
});
afterAll(async () => {
  await t.close();
  await pg.stop();
});

describe("login and register under the limit (PASSWORD_HASH_CONCURRENCY=1, PASSWORD_HASH_QUEUE_MAX=1)", () => {
  /** Occupies the only argon2id slot until `release()`, as a long-running verification would. */
  function holdTheSlot() {
    const { promise, resolve } = Promise.withResolvers<void>();
    const held = t.limiter.run(() => promise);
    return async () => {
      resolve();
      await held;
    };
  }

  test("an unknown email waits for the slot like a known one, and a full queue answers 503", async () => {
    const user = await register(t.app);
    const release = holdTheSlot();
    let settled = false;
    const unknown = call(t.app, "POST", "/api/users/login", {
      body: { email: "nobody-here@shop.test", password: "whatever-pass" },
    }).finally(() => {
      settled = true;
    });
    // The dummy verification queues behind the held slot instead of answering early.
    await waitUntil(() => t.limiter.queued === 1);

    const refused = await call(t.app, "POST", "/api/users/login", {
      body: { email: user.email, password: user.password },
    });
    expectError(refused, 503, "DEPENDENCY_UNAVAILABLE");
    expect(refused.headers.get("retry-after")).toBe("1");
    const refusedSignUp = await call(t.app, "POST", "/api/users/register", {
      body: { email: "late-signup@shop.test", password: "long-enough-1", firstName: "L", lastName: "S" },
    });
    expectError(refusedSignUp, 503, "DEPENDENCY_UNAVAILABLE");
    // All that while, the unknown email got no answer: it waits for the slot.
    expect(settled).toBe(false);

    await release();
    expectError(await unknown, 401, "INVALID_CREDENTIALS");
    // Once the queue has room, the same login goes through.
    const ok = await call(t.app, "POST", "/api/users/login", {
      body: { email: user.email, password: user.password },
    });
    expect(ok.status).toBe(200);
    // The refused sign-up left nothing behind: the email is still free.
    const retry = await call(t.app, "POST", "/api/users/register", {
      body: { email: "late-signup@shop.test", password: "long-enough-1", firstName: "L", lastName: "S" },
    });
    expect(retry.status).toBe(201);
  });
});
