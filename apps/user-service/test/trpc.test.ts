import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SERVICE_TOKEN_HEADER } from "@ecom/auth";
import { startPostgres } from "@ecom/test-harness";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { UserRouter } from "../src/trpc/router.ts";
import { call, expectError, register } from "./support/http.ts";
import { ADMIN, createTestApp, INTERNAL_TOKEN, type TestApp } from "./support/test-app.ts";

const pg = await startPostgres();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(pg.url);
});
afterAll(async () => {
  await t.close();
  await pg.stop();
});

/** A typed client, as the order service builds it, whose requests go straight into the app. */
const client = (token?: string) =>
  createTRPCClient<UserRouter>({
    links: [
      httpLink({
        url: "http://localhost/trpc",
        headers: () => (token ? { [SERVICE_TOKEN_HEADER]: token } : {}),
        fetch: (input, init) => t.app.handle(new Request(input as string, init as RequestInit)),
      }),
    ],
  });

describe("internal tRPC getById", () => {
  test("returns the user with the internal credential", async () => {
    const u = await register(t.app);
    const user = await client(INTERNAL_TOKEN).getById.query({ id: u.user.id });
    expect(user).toEqual({
      id: u.user.id,
      email: u.email,
      firstName: "Ada",
      lastName: "Lovelace",
      role: "customer",
      isActive: true,
    });
  });

  test("null for an unknown id; an invalid id is a BAD_REQUEST", async () => {
    expect(await client(INTERNAL_TOKEN).getById.query({ id: crypto.randomUUID() })).toBeNull();
    const error = await client(INTERNAL_TOKEN)
      .getById.query({ id: "nope" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<UserRouter>).data?.code).toBe("BAD_REQUEST");
  });

  test("reports the admin role and a disabled account", async () => {
    const admin = await t.database.db
      .selectFrom("users")
      .select("id")
      .where("email_normalized", "=", ADMIN.email)
      .executeTakeFirstOrThrow();
    expect((await client(INTERNAL_TOKEN).getById.query({ id: admin.id }))?.role).toBe("admin");
    const u = await register(t.app);
    await t.database.db.updateTable("users").set({ is_active: false }).where("id", "=", u.user.id).execute();
    expect((await client(INTERNAL_TOKEN).getById.query({ id: u.user.id }))?.isActive).toBe(false);
  });

  test("without or with a wrong internal credential → 401 in the error shape", async () => {
    const input = encodeURIComponent(JSON.stringify({ id: crypto.randomUUID() }));
    expectError(await call(t.app, "GET", `/trpc/getById?input=${input}`), 401, "UNAUTHORIZED");
    expectError(
      await call(t.app, "GET", `/trpc/getById?input=${input}`, {
        headers: { [SERVICE_TOKEN_HEADER]: "wrong-token-of-some-length" },
      }),
      401,
      "UNAUTHORIZED",
    );
    await expect(client().getById.query({ id: crypto.randomUUID() })).rejects.toThrow();
  });

  test("a user's access token is not an internal credential", async () => {
    const u = await register(t.app);
    await expect(client(u.accessToken).getById.query({ id: u.user.id })).rejects.toThrow();
  });
});
