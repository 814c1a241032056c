import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPostgres, waitFor, waitUntil } from "@ecom/test-harness";
import { call, expectError, newUser, register } from "./support/http.ts";
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

const metricsText = async () => (await t.app.handle(new Request("http://localhost/metrics"))).text();
const countFor = (text: string, route: string, status: string) => {
  const line = text
    .split("\n")
    .find(
      (l) =>
        l.startsWith("http_request_duration_seconds_count{") &&
        l.includes(`route="${route}"`) &&
        l.includes(`status="${status}"`),
    );
  return line ? Number(line.split(" ").at(-1)) : 0;
};

describe("/metrics", () => {
  test("counts requests by route pattern, not raw path", async () => {
    const u = await register(t.app);
    const before = await metricsText();
    const base = countFor(before, "/api/users/:id", "200");
    await call(t.app, "GET", `/api/users/${u.user.id}`, { token: u.accessToken });
    await call(t.app, "GET", `/api/users/${u.user.id}`, { token: u.accessToken });
    await call(t.app, "GET", `/api/users/${crypto.randomUUID()}`, { token: u.accessToken });
    // A request is counted after its response is sent (onAfterResponse): wait until these are.
    const after = await waitFor(
      metricsText,
      (text) =>
        countFor(text, "/api/users/:id", "200") >= base + 2 &&
        countFor(text, "/api/users/:id", "403") >= 1 &&
        countFor(text, "/api/users/register", "201") >= 1,
    );
    expect(countFor(after, "/api/users/:id", "200")).toBe(base + 2);
    expect(countFor(after, "/api/users/:id", "403")).toBeGreaterThanOrEqual(1);
    expect(countFor(after, "/api/users/register", "201")).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain(u.user.id);
  });
});

describe("/health", () => {
  test("ready turns 503 when the database stops and 200 when it is back", async () => {
    const u = await register(t.app);
    expect((await call(t.app, "GET", "/health/ready")).status).toBe(200);
    await pg.pause();
    try {
      const down = await call(t.app, "GET", "/health/ready");
      expectError(down, 503, "DEPENDENCY_UNAVAILABLE");
      expect((await call(t.app, "GET", "/health/live")).status).toBe(200);
      // Requests that need the database say so with a 503 in the contract's shape, not a 500.
      const login = await call(t.app, "POST", "/api/users/login", {
        body: { email: u.email, password: u.password },
      });
      expect(expectError(login, 503, "DEPENDENCY_UNAVAILABLE").details).toEqual({
        dependency: "users database",
      });
      expectError(
        await call(t.app, "GET", "/api/users/me", { token: u.accessToken }),
        503,
        "DEPENDENCY_UNAVAILABLE",
      );
      const refresh = await call(t.app, "POST", "/api/users/refresh", {
        body: { refreshToken: u.refreshToken },
      });
      expectError(refresh, 503, "DEPENDENCY_UNAVAILABLE");
      const again = await call(t.app, "POST", "/api/users/register", { body: newUser() });
      expectError(again, 503, "DEPENDENCY_UNAVAILABLE");
    } finally {
      await pg.resume();
    }
    // The pool drops its dead connections and reconnects on its own, as soon as the server is back.
    await waitUntil(async () => (await call(t.app, "GET", "/health/ready")).status === 200, 100);
    // The spent-nothing refresh token from before the outage still works: the failed attempt changed nothing.
    expect(
      (await call(t.app, "POST", "/api/users/refresh", { body: { refreshToken: u.refreshToken } })).status,
    ).toBe(200);
    await register(t.app);
  });
});

describe("OpenAPI", () => {
  test("documents every public route with summary, tags and security", async () => {
    const spec = (await call(t.app, "GET", "/openapi.json")).body as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[]; security?: unknown[] }>>;
    };
    const expected: [string, string, boolean][] = [
      ["/api/users/register", "post", false],
      ["/api/users/login", "post", false],
      ["/api/users/refresh", "post", false],
      ["/api/users/logout", "post", false],
      ["/api/users/me", "get", true],
      ["/api/users/me", "patch", true],
      ["/api/users/{id}", "get", true],
      ["/api/users", "get", true],
    ];
    // The JWKS path is missing on purpose: the shared OpenAPI setup leaves out paths with a dot (static files).
    for (const [path, method, secured] of expected) {
      const op = spec.paths[path]?.[method];
      expect({ path, method, summary: op?.summary }).toEqual({ path, method, summary: expect.any(String) });
      expect(op?.tags?.length).toBeGreaterThan(0);
      expect(Boolean(op?.security)).toBe(secured);
    }
    expect(Object.keys(spec.paths).some((p) => p.startsWith("/trpc") || p.startsWith("/health"))).toBe(false);
    const docs = await t.app.handle(new Request("http://localhost/docs"));
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toContain("text/html");
  });
});

describe("error shape", () => {
  test("every kind of failure has the contract's shape and an x-request-id", async () => {
    const cases: [Promise<Awaited<ReturnType<typeof call>>>, number, string][] = [
      [call(t.app, "GET", "/api/nothing-here"), 404, "NOT_FOUND"],
      [call(t.app, "POST", "/api/users/register", { body: { email: 1 } }), 400, "VALIDATION_ERROR"],
      [call(t.app, "POST", "/api/users/refresh", { body: {} }), 400, "VALIDATION_ERROR"],
      [
        call(t.app, "POST", "/api/users/logout", { body: { refreshToken: "x", extra: 1 } }),
        400,
        "VALIDATION_ERROR",
      ],
      [call(t.app, "GET", "/api/users/me", { token: "x" }), 401, "UNAUTHORIZED"],
      [call(t.app, "GET", "/api/users", { token: "x" }), 401, "UNAUTHORIZED"],
    ];
    for (const [reply, status, code] of cases) expectError(await reply, status, code);

    const malformed = await t.app.handle(
      new Request("http://localhost/api/users/login", {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "trace-me-123" },
        body: "{not json",
      }),
    );
    const body = (await malformed.json()) as { error: { code: string; requestId: string } };
    expect(malformed.status).toBe(400);
    expect(body.error).toMatchObject({ code: "VALIDATION_ERROR", requestId: "trace-me-123" });
  });
});
