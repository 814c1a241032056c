import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPostgres } from "@ecom/test-harness";
import { createLoginRateLimiter } from "../src/security/login-rate-limiter.ts";
import { call, expectError, newUser, register } from "./support/http.ts";
import { manualClock } from "./support/manual-clock.ts";
import { createTestApp, type TestApp } from "./support/test-app.ts";

const pg = await startPostgres();
const limits = {
  LOGIN_RATE_LIMIT_MAX: "3",
  LOGIN_RATE_LIMIT_ADDRESS_MAX: "8",
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: "60",
};

type Listening = { t: TestApp; handle(request: Request): Promise<Response> };

/** The real app on a real listener, so the limiter sees a socket peer (127.0.0.1) as in production. */
async function listening(env: Record<string, string>): Promise<Listening> {
  const t = await createTestApp(pg.url, { ...limits, ...env });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  const base = `http://127.0.0.1:${t.app.server?.port}`;
  return {
    t,
    handle: (request) => {
      const { pathname, search } = new URL(request.url);
      return fetch(new Request(`${base}${pathname}${search}`, request));
    },
  };
}

// Behind a proxy on loopback (the gateway, nginx), as every deployment runs the service.
let proxied: Listening;
// Reached directly: nobody's forwarding headers are believed.
let direct: Listening;
beforeAll(async () => {
  proxied = await listening({ TRUSTED_PROXIES: "127.0.0.1, ::1" });
  direct = await listening({});
});
afterAll(async () => {
  // Stopping the service also closes its listener.
  for (const { t } of [proxied, direct]) await t.close();
  await pg.stop();
});

let nextAddress = 0;
/** A documentation-range address no other test uses, so tests do not share address windows. */
const freshAddress = () => `198.51.100.${++nextAddress}`;

/** A login as the proxy passes it on: a hop forged by the client, then the address the proxy saw. */
const attempt = (email: string, password: string, address: string, via: Listening = proxied) =>
  call(via, "POST", "/api/users/login", {
    body: { email, password },
    headers: { "x-forwarded-for": `10.9.9.${Math.floor(Math.random() * 250)}, ${address}` },
  });

describe("login rate limit per account and address", () => {
  test("trips with 429 + Retry-After, and recovers when the window has passed", async () => {
    const u = await register(proxied);
    const address = freshAddress();
    for (let i = 0; i < 3; i++)
      expectError(await attempt(u.email, "wrong-password", address), 401, "INVALID_CREDENTIALS");

    const limited = await attempt(u.email, u.password, address);
    const error = expectError(limited, 429, "RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(error.details).toEqual({ retryAfterSeconds: 60 });

    proxied.t.clock.advance(45);
    expect((await attempt(u.email, u.password, address)).headers.get("retry-after")).toBe("15");
    // The same email from another address, and another email from the same address, are not blocked.
    expect((await attempt(u.email, u.password, freshAddress())).status).toBe(200);
    expectError(await attempt(`x${u.email}`, "wrong-password", address), 401, "INVALID_CREDENTIALS");

    proxied.t.clock.advance(15);
    expect((await attempt(u.email, u.password, address)).status).toBe(200);
  });

  test("the email is matched case-insensitively", async () => {
    const u = await register(proxied);
    const address = freshAddress();
    for (let i = 0; i < 3; i++)
      await attempt(i % 2 ? u.email.toUpperCase() : u.email, "wrong-password", address);
    expectError(await attempt(u.email.toUpperCase(), u.password, address), 429, "RATE_LIMITED");
  });

  test("a successful login clears the account's count", async () => {
    const u = await register(proxied);
    const address = freshAddress();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2; i++) await attempt(u.email, "wrong-password", address);
      expect((await attempt(u.email, u.password, address)).status).toBe(200);
    }
  });

  test("rotating X-Forwarded-For gains nothing when the caller is not a trusted proxy", async () => {
    const u = await register(direct);
    for (let i = 0; i < 3; i++)
      expectError(
        await attempt(u.email, "wrong-password", freshAddress(), direct),
        401,
        "INVALID_CREDENTIALS",
      );
    expectError(await attempt(u.email, u.password, freshAddress(), direct), 429, "RATE_LIMITED");
  });

  test("spraying many accounts from one address trips the address limit; successes do not count", async () => {
    const address = freshAddress();
    const known = await register(proxied);
    for (let i = 0; i < 5; i++)
      expect((await attempt(known.email, known.password, address)).status).toBe(200);
    for (let i = 0; i < 8; i++)
      expectError(await attempt(newUser().email, "wrong-password", address), 401, "INVALID_CREDENTIALS");
    const limited = await attempt(known.email, known.password, address);
    expectError(limited, 429, "RATE_LIMITED");
    expect(limited.headers.get("retry-after")).not.toBeNull();
    // Another address is untouched.
    expect((await attempt(known.email, known.password, freshAddress())).status).toBe(200);
  });

  test("an IPv6 client is one address across its /64", async () => {
    const prefix = `2001:db8:${++nextAddress}:7`;
    for (let i = 1; i <= 8; i++)
      expectError(
        await attempt(newUser().email, "wrong-password", `${prefix}::${i.toString(16)}`),
        401,
        "INVALID_CREDENTIALS",
      );
    expectError(await attempt(newUser().email, "wrong-password", `${prefix}:ffff::9`), 429, "RATE_LIMITED");
    expectError(
      await attempt(newUser().email, "wrong-password", `2001:db8:${++nextAddress}:7::1`),
      401,
      "INVALID_CREDENTIALS",
    );
  });

  test("parallel guesses cannot slip past the limit", async () => {
    const u = await register(proxied);
    const address = freshAddress();
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => attempt(u.email, "wrong-password", address)),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });

  test("login metrics count each outcome", async () => {
    const text = await (await proxied.t.app.handle(new Request("http://localhost/metrics"))).text();
    for (const outcome of ["success", "invalid_credentials", "rate_limited"]) {
      expect(text).toMatch(new RegExp(`auth_login_attempts_total\\{outcome="${outcome}"[^}]*\\} [1-9]`));
    }
  });
});

describe("limiter windows", () => {
  const who = (address: string) => ({ email: `window-${address}@shop.test`, address });

  test("block after max attempts until the window that began with the first one ends", async () => {
    const clock = manualClock(0);
    const limiter = createLoginRateLimiter({
      db: proxied.t.database.db,
      limits: { perAccount: 2, perAddress: 100, windowSeconds: 10 },
      clock,
    });
    const k = who(freshAddress());
    expect(await limiter.attempt(k)).toBeUndefined();
    clock.advance(4);
    expect(await limiter.attempt(k)).toBeUndefined();
    expect(await limiter.attempt(k)).toBe(6);
    clock.advance(5.5);
    expect(await limiter.attempt(k)).toBe(1);
    clock.advance(0.5);
    expect(await limiter.attempt(k)).toBeUndefined();
  });

  test("ended windows are swept from the table", async () => {
    const db = proxied.t.database.db;
    const clock = manualClock(1_000_000);
    const limiter = createLoginRateLimiter({
      db,
      limits: { perAccount: 5, perAddress: 100_000, windowSeconds: 1 },
      clock,
    });
    const keysOf = async (address: string) =>
      (await db.selectFrom("login_attempts").select("key").where("key", "like", `%${address}`).execute())
        .length;
    await limiter.attempt(who("192.0.2.200"));
    expect(await keysOf("192.0.2.200")).toBe(2);
    clock.advance(2);
    // The sweep runs every 500 attempts in a process; one live key's window keeps being reused meanwhile.
    for (let i = 0; i < 500; i++) await limiter.attempt(who("192.0.2.201"));
    expect(await keysOf("192.0.2.200")).toBe(0);
    expect(await keysOf("192.0.2.201")).toBe(2);
  });
});
