import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPostgres } from "@ecom/test-harness";
import { clientIp } from "../src/security/client-ip.ts";
import { createLoginRateLimiter } from "../src/security/login-rate-limiter.ts";
import { call, expectError, register } from "./support/http.ts";
import { manualClock } from "./support/manual-clock.ts";
import { createTestApp, type TestApp } from "./support/test-app.ts";

const pg = await startPostgres();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(pg.url, { LOGIN_RATE_LIMIT_MAX: "3", LOGIN_RATE_LIMIT_WINDOW_SECONDS: "60" });
});
afterAll(async () => {
  await t.close();
  await pg.stop();
});

const attempt = (email: string, password: string, ip = "203.0.113.7") =>
  call(t.app, "POST", "/api/users/login", {
    body: { email, password },
    // A forged first hop, then the address the gateway saw.
    headers: { "x-forwarded-for": `10.9.9.${Math.floor(Math.random() * 250)}, ${ip}` },
  });

describe("login rate limit (per email + client IP)", () => {
  test("trips with 429 + Retry-After, and recovers when the window has passed", async () => {
    const u = await register(t.app);
    for (let i = 0; i < 3; i++)
      expectError(await attempt(u.email, "wrong-password"), 401, "INVALID_CREDENTIALS");

    const limited = await attempt(u.email, u.password);
    const error = expectError(limited, 429, "RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(error.details).toEqual({ retryAfterSeconds: 60 });

    t.clock.advance(45);
    expect((await attempt(u.email, u.password)).headers.get("retry-after")).toBe("15");
    // The same email from another address, and another email from the same address, are not blocked.
    expect((await attempt(u.email, u.password, "198.51.100.9")).status).toBe(200);
    expectError(await attempt(`x${u.email}`, "wrong-password"), 401, "INVALID_CREDENTIALS");

    t.clock.advance(15);
    expect((await attempt(u.email, u.password)).status).toBe(200);
  });

  test("the email is matched case-insensitively", async () => {
    const u = await register(t.app);
    for (let i = 0; i < 3; i++) await attempt(i % 2 ? u.email.toUpperCase() : u.email, "wrong-password");
    expectError(await attempt(u.email.toUpperCase(), u.password), 429, "RATE_LIMITED");
    t.clock.advance(60);
  });

  test("a successful login clears the count", async () => {
    const u = await register(t.app);
    for (let i = 0; i < 2; i++) await attempt(u.email, "wrong-password");
    expect((await attempt(u.email, u.password)).status).toBe(200);
    for (let i = 0; i < 2; i++) await attempt(u.email, "wrong-password");
    expect((await attempt(u.email, u.password)).status).toBe(200);
  });

  test("login metrics count each outcome", async () => {
    await Bun.sleep(20);
    const text = await (await t.app.handle(new Request("http://localhost/metrics"))).text();
    for (const outcome of ["success", "invalid_credentials", "rate_limited"]) {
      expect(text).toMatch(new RegExp(`auth_login_attempts_total\\{outcome="${outcome}"[^}]*\\} [1-9]`));
    }
  });
});

describe("limiter", () => {
  test("blocks after max attempts until the window that began with the first one ends", () => {
    const clock = manualClock(0);
    const limiter = createLoginRateLimiter({ max: 2, windowSeconds: 10, clock });
    expect(limiter.attempt("k")).toBeUndefined();
    clock.advance(4);
    expect(limiter.attempt("k")).toBeUndefined();
    expect(limiter.attempt("k")).toBe(6);
    clock.advance(5.5);
    expect(limiter.attempt("k")).toBe(1);
    clock.advance(0.5);
    expect(limiter.attempt("k")).toBeUndefined();
  });

  test("keeps limiting correctly while sweeping expired keys at scale", () => {
    const clock = manualClock(0);
    const limiter = createLoginRateLimiter({ max: 1, windowSeconds: 1, clock });
    for (let i = 0; i < 10_000; i++) limiter.attempt(`old-${i}`);
    expect(limiter.attempt("old-1")).toBe(1);
    clock.advance(2);
    limiter.attempt("new");
    expect(limiter.attempt("new")).toBe(1);
    expect(limiter.attempt("old-2")).toBeUndefined();
  });
});

describe("client IP", () => {
  const socket = { requestIP: () => ({ address: "127.0.0.1" }) };
  test("the hop the proxy appended (last) wins, else the socket address", () => {
    const forwarded = new Request("http://x/", { headers: { "x-forwarded-for": "1.2.3.4 , 203.0.113.1 " } });
    expect(clientIp(forwarded, socket)).toBe("203.0.113.1");
    expect(clientIp(new Request("http://x/"), socket)).toBe("127.0.0.1");
    expect(clientIp(new Request("http://x/"), null)).toBe("unknown");
  });
});
