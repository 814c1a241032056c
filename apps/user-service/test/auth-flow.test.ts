import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPostgres } from "@ecom/test-harness";
import { sql } from "kysely";
import { call, expectError, login, newUser, register, type TokenPairBody } from "./support/http.ts";
import { createTestApp, type TestApp } from "./support/test-app.ts";

const pg = await startPostgres();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(pg.url);
});
afterAll(async () => {
  await t.close();
  await pg.stop();
});

const countUsers = async (email: string) => {
  const { rows } = await sql<{
    n: string;
  }>`select count(*) as n from users where email_normalized = ${email.toLowerCase()}`.execute(t.database.db);
  return Number(rows[0]?.n);
};

describe("register → login → me → refresh → logout", () => {
  test("the whole session round trip", async () => {
    const body = newUser({ phone: "+49 30 123456" });
    const reg = await call(t.app, "POST", "/api/users/register", { body });
    expect(reg.status).toBe(201);
    const registered = reg.body as TokenPairBody & Record<string, unknown>;
    expect(registered).toMatchObject({
      tokenType: "Bearer",
      expiresIn: 900,
      user: {
        email: body.email,
        firstName: "Ada",
        lastName: "Lovelace",
        phone: "+49 30 123456",
        role: "customer",
      },
    });
    expect(JSON.stringify(registered)).not.toContain("password");
    expect(JSON.stringify(registered)).not.toContain("argon2");

    const loggedIn = await login(t.app, body.email.toUpperCase(), body.password);
    expect(loggedIn.user.id).toBe(registered.user.id);

    const me = await call(t.app, "GET", "/api/users/me", { token: loggedIn.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(registered.user);

    const refreshed = await call(t.app, "POST", "/api/users/refresh", {
      body: { refreshToken: loggedIn.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    const pair = refreshed.body as TokenPairBody;
    expect(pair.refreshToken).not.toBe(loggedIn.refreshToken);
    expect((await call(t.app, "GET", "/api/users/me", { token: pair.accessToken })).status).toBe(200);

    const out = await call(t.app, "POST", "/api/users/logout", { body: { refreshToken: pair.refreshToken } });
    expect(out.status).toBe(204);
    expect(out.body).toBeUndefined();
    expectError(
      await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: pair.refreshToken } }),
      401,
      "UNAUTHORIZED",
    );
    // The session from registration is a different one and still works.
    const other = await call(t.app, "POST", "/api/users/refresh", {
      body: { refreshToken: registered.refreshToken },
    });
    expect(other.status).toBe(200);
  });

  test("only hashes of refresh tokens are stored", async () => {
    const { refreshToken } = await register(t.app);
    const { rows } = await sql<{
      n: string;
    }>`select count(*) as n from refresh_tokens where token_hash = ${refreshToken}`.execute(t.database.db);
    expect(Number(rows[0]?.n)).toBe(0);
  });

  test("logout of an unknown token is still 204", async () => {
    expect((await call(t.app, "POST", "/api/users/logout", { body: { refreshToken: "nope" } })).status).toBe(
      204,
    );
  });
});

describe("registration rules", () => {
  test("the same email in another case is 409 EMAIL_TAKEN and creates nothing", async () => {
    const first = await register(t.app, { email: `Mixed.Case${Date.now()}@Shop.test` });
    const again = await call(t.app, "POST", "/api/users/register", {
      body: newUser({ email: first.email.toUpperCase() }),
    });
    expectError(again, 409, "EMAIL_TAKEN");
    expect(await countUsers(first.email)).toBe(1);
  });

  test("two sign-ups racing for one email: exactly one succeeds", async () => {
    const email = `race${Date.now()}@shop.test`;
    const replies = await Promise.all(
      [email, email.toUpperCase()].map((e) =>
        call(t.app, "POST", "/api/users/register", { body: newUser({ email: e }) }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await countUsers(email)).toBe(1);
  });

  test("a role in the body is rejected, so nobody makes themselves admin", async () => {
    const body = newUser({ role: "admin" });
    const reply = await call(t.app, "POST", "/api/users/register", { body });
    const error = expectError(reply, 400, "VALIDATION_ERROR");
    expect(JSON.stringify(error.details)).toContain("role");
    expect(await countUsers(body.email)).toBe(0);
  });

  test.each([
    ["short password", { password: "short" }],
    ["bad email", { email: "not-an-email" }],
    ["empty first name", { firstName: " " }],
    ["bad phone", { phone: "call me" }],
    ["missing last name", { lastName: undefined }],
  ])("%s → 400", async (_, overrides) => {
    const body = newUser(overrides);
    expectError(await call(t.app, "POST", "/api/users/register", { body }), 400, "VALIDATION_ERROR");
    expect(await countUsers(String(body.email))).toBe(0);
  });

  test("new accounts are always customers", async () => {
    const { user } = await register(t.app);
    expect(user.role).toBe("customer");
  });
});

describe("login failures", () => {
  test("wrong password and unknown email give identical 401 bodies", async () => {
    const { email } = await register(t.app);
    const wrongPassword = await call(t.app, "POST", "/api/users/login", {
      body: { email, password: "wrong-password" },
    });
    const unknownEmail = await call(t.app, "POST", "/api/users/login", {
      body: { email: `nobody-${Date.now()}@shop.test`, password: "wrong-password" },
    });
    const a = expectError(wrongPassword, 401, "INVALID_CREDENTIALS");
    const b = expectError(unknownEmail, 401, "INVALID_CREDENTIALS");
    expect(a.requestId).not.toBe(b.requestId);
    expect({ ...a, requestId: "" }).toEqual({ ...b, requestId: "" });
  });

  test("unknown fields at login are a 400", async () => {
    const reply = await call(t.app, "POST", "/api/users/login", {
      body: { email: "a@b.test", password: "whatever1", remember: true },
    });
    expectError(reply, 400, "VALIDATION_ERROR");
  });

  test("a disabled account cannot log in, refresh or use its token", async () => {
    const u = await register(t.app);
    await t.database.db.updateTable("users").set({ is_active: false }).where("id", "=", u.user.id).execute();
    expectError(
      await call(t.app, "POST", "/api/users/login", { body: { email: u.email, password: u.password } }),
      401,
      "INVALID_CREDENTIALS",
    );
    expectError(
      await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: u.refreshToken } }),
      401,
      "UNAUTHORIZED",
    );
    expectError(await call(t.app, "GET", "/api/users/me", { token: u.accessToken }), 401, "UNAUTHORIZED");
    expectError(
      await call(t.app, "PATCH", "/api/users/me", { token: u.accessToken, body: { firstName: "X" } }),
      401,
      "UNAUTHORIZED",
    );
  });
});

describe("refresh tokens", () => {
  test("reusing a spent token is a 401 and revokes the whole family", async () => {
    const { refreshToken: first } = await register(t.app);
    const second = (await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: first } }))
      .body as TokenPairBody;
    const third = (
      await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: second.refreshToken } })
    ).body as TokenPairBody;

    // A thief replays the first token.
    expectError(
      await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: first } }),
      401,
      "UNAUTHORIZED",
    );
    // The legitimate holder's newest token is now dead as well.
    expectError(
      await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: third.refreshToken } }),
      401,
      "UNAUTHORIZED",
    );
    expect(t.logLines.some((l) => l.includes("spent refresh token presented again"))).toBe(true);
  });

  test("each token records what replaced it", async () => {
    const { refreshToken, user } = await register(t.app);
    await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken } });
    const rows = await t.database.db
      .selectFrom("refresh_tokens")
      .selectAll()
      .where("user_id", "=", user.id)
      .orderBy("created_at")
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]?.replaced_by).toBe(rows[1]?.id ?? "missing");
    expect(rows[0]?.family_id).toBe(rows[1]?.family_id ?? "missing");
    expect(rows[0]?.used_at).not.toBeNull();
  });

  test("an expired refresh token is refused", async () => {
    const { refreshToken } = await register(t.app);
    t.clock.advance(t.config.REFRESH_TOKEN_TTL_SECONDS + 1);
    expectError(
      await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken } }),
      401,
      "UNAUTHORIZED",
    );
  });

  test("two refreshes racing with one token: one wins, and the race counts as reuse", async () => {
    const { refreshToken } = await register(t.app);
    const replies = await Promise.all(
      [1, 2].map(() => call(t.app, "POST", "/api/users/refresh", { body: { refreshToken } })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = replies.find((r) => r.status === 200)?.body as TokenPairBody;
    expectError(
      await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: winner.refreshToken } }),
      401,
      "UNAUTHORIZED",
    );
  });

  test("an unknown token is refused", async () => {
    expectError(
      await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: "made-up" } }),
      401,
      "UNAUTHORIZED",
    );
  });
});
