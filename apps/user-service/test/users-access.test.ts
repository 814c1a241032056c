import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPostgres } from "@ecom/test-harness";
import { call, expectError, login, register, type TokenPairBody } from "./support/http.ts";
import { ADMIN, createTestApp, type TestApp } from "./support/test-app.ts";

const pg = await startPostgres();
let t: TestApp;
let admin: TokenPairBody;
let alice: Awaited<ReturnType<typeof register>>;
let bob: Awaited<ReturnType<typeof register>>;
const tag = `f${Date.now()}`;
beforeAll(async () => {
  t = await createTestApp(pg.url);
  admin = await login(t.app, ADMIN.email, ADMIN.password);
  alice = await register(t.app, { email: `alice.${tag}@shop.test` });
  bob = await register(t.app, { email: `bob.${tag}@shop.test` });
});
afterAll(async () => {
  await t.close();
  await pg.stop();
});

type User = {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  updatedAt: string;
};
type UserList = { items: User[]; page: number; limit: number; total: number };

describe("PATCH /api/users/me", () => {
  test("changes names and phone; null removes the phone", async () => {
    t.clock.advance(5);
    const changed = await call(t.app, "PATCH", "/api/users/me", {
      token: alice.accessToken,
      body: { firstName: " Alice ", phone: "+1 555 0100" },
    });
    expect(changed.status).toBe(200);
    const user = changed.body as User;
    expect(user).toMatchObject({ firstName: "Alice", lastName: "Lovelace", phone: "+1 555 0100" });
    expect(user.updatedAt > (alice.user as unknown as User).updatedAt).toBe(true);
    const cleared = await call(t.app, "PATCH", "/api/users/me", {
      token: alice.accessToken,
      body: { phone: null },
    });
    expect((cleared.body as User).phone).toBeNull();
    expect(
      ((await call(t.app, "GET", "/api/users/me", { token: alice.accessToken })).body as User).firstName,
    ).toBe("Alice");
  });

  test.each([
    ["role", { role: "admin" }],
    ["email", { email: "new@shop.test" }],
    ["id", { id: "00000000-0000-4000-8000-000000000000" }],
  ])("rejects %s (unknown field) and changes nothing", async (_, body) => {
    const before = (await call(t.app, "GET", "/api/users/me", { token: bob.accessToken })).body;
    expectError(
      await call(t.app, "PATCH", "/api/users/me", { token: bob.accessToken, body }),
      400,
      "VALIDATION_ERROR",
    );
    expect((await call(t.app, "GET", "/api/users/me", { token: bob.accessToken })).body).toEqual(before);
  });

  test("an empty patch changes nothing", async () => {
    const before = (await call(t.app, "GET", "/api/users/me", { token: bob.accessToken })).body;
    t.clock.advance(5);
    const reply = await call(t.app, "PATCH", "/api/users/me", { token: bob.accessToken, body: {} });
    expect(reply.body).toEqual(before);
  });

  test("rejects invalid values and needs a token", async () => {
    expectError(
      await call(t.app, "PATCH", "/api/users/me", { token: bob.accessToken, body: { lastName: "" } }),
      400,
      "VALIDATION_ERROR",
    );
    expectError(
      await call(t.app, "PATCH", "/api/users/me", { body: { lastName: "X" } }),
      401,
      "UNAUTHORIZED",
    );
  });
});

describe("GET /api/users/:id", () => {
  test("a user reads themselves", async () => {
    const reply = await call(t.app, "GET", `/api/users/${alice.user.id}`, { token: alice.accessToken });
    expect(reply.status).toBe(200);
    expect((reply.body as User).id).toBe(alice.user.id);
  });

  test("a customer reading another user → 403", async () => {
    expectError(
      await call(t.app, "GET", `/api/users/${bob.user.id}`, { token: alice.accessToken }),
      403,
      "FORBIDDEN",
    );
    // Unknown ids look the same to a customer, so existence is not revealed.
    expectError(
      await call(t.app, "GET", `/api/users/${crypto.randomUUID()}`, { token: alice.accessToken }),
      403,
      "FORBIDDEN",
    );
  });

  test("an admin reads anyone; unknown or malformed ids → 404", async () => {
    const reply = await call(t.app, "GET", `/api/users/${bob.user.id}`, { token: admin.accessToken });
    expect((reply.body as User).email).toBe(bob.email);
    expectError(
      await call(t.app, "GET", `/api/users/${crypto.randomUUID()}`, { token: admin.accessToken }),
      404,
      "NOT_FOUND",
    );
    expectError(
      await call(t.app, "GET", "/api/users/not-a-uuid", { token: admin.accessToken }),
      404,
      "NOT_FOUND",
    );
  });

  test("no token → 401", async () => {
    expectError(await call(t.app, "GET", `/api/users/${bob.user.id}`), 401, "UNAUTHORIZED");
  });
});

describe("GET /api/users (admin)", () => {
  test("the admin from ADMIN_EMAIL lists, customers get 403, anonymous 401", async () => {
    expect(admin.user.role).toBe("admin");
    expect((await call(t.app, "GET", "/api/users", { token: admin.accessToken })).status).toBe(200);
    expectError(await call(t.app, "GET", "/api/users", { token: alice.accessToken }), 403, "FORBIDDEN");
    expectError(await call(t.app, "GET", "/api/users"), 401, "UNAUTHORIZED");
  });

  test("pages through a filtered list", async () => {
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1);
      await register(t.app, { email: `page${i}.${tag}@shop.test` });
    }
    const get = async (query: string) => {
      const reply = await call(t.app, "GET", `/api/users?${query}`, { token: admin.accessToken });
      expect(reply.status).toBe(200);
      return reply.body as UserList;
    };
    const first = await get(`email=PAGE&limit=2`);
    expect(first).toMatchObject({ page: 1, limit: 2, total: 3 });
    expect(first.items.map((u) => u.email)).toEqual([`page0.${tag}@shop.test`, `page1.${tag}@shop.test`]);
    const second = await get(`email=page&limit=2&page=2`);
    expect(second.items.map((u) => u.email)).toEqual([`page2.${tag}@shop.test`]);
    expect((await get(`email=${tag}`)).total).toBe(5);
    // LIKE wildcards in the filter are matched literally.
    expect((await get("email=%25")).total).toBe(0);
    expect(JSON.stringify(first)).not.toContain("password");
    const all = await get("");
    expect(all).toMatchObject({ page: 1, limit: 20, total: 6 });
  });

  test.each(["limit=0", "limit=101", "page=0", "page=x", "sort=email"])(
    "bad query %s → 400",
    async (query) => {
      expectError(
        await call(t.app, "GET", `/api/users?${query}`, { token: admin.accessToken }),
        400,
        "VALIDATION_ERROR",
      );
    },
  );
});

describe("admin bootstrap", () => {
  test("ADMIN_EMAIL is promoted and its password reset on start-up", async () => {
    const { ensureAdmin } = await import("../src/bootstrap/ensure-admin.ts");
    await ensureAdmin(
      t.database.db,
      { email: bob.email.toUpperCase(), password: "new-admin-pass" },
      t.clock,
      t.passwords,
    );
    const bobAdmin = await login(t.app, bob.email, "new-admin-pass");
    expect(bobAdmin.user.role).toBe("admin");
    expect((await call(t.app, "GET", "/api/users", { token: bobAdmin.accessToken })).status).toBe(200);
  });
});
