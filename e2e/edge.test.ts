import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Api, api, type ErrorBody, newCustomer } from "./support/client.ts";
import { type E2eSystem, startSystem } from "./support/system.ts";

let system: E2eSystem;
let client: Api;

beforeAll(async () => {
  // One instance each is enough here; a tight login limit and a small body limit make both quick to hit.
  system = await startSystem({
    instances: 1,
    nginx: { loginRate: "6r/m", loginBurst: 3, clientMaxBodySize: "8k" },
  });
  client = api(system.gatewayUrl);
}, 240_000);
afterAll(async () => {
  await system?.stop();
}, 60_000);

describe("what nginx does not route", () => {
  test.each(["/trpc/getById", "/trpc/reserve", "/metrics", "/health/ready", "/openapi.json", "/"])(
    "%s → 404 in the error shape, even though every service serves it",
    async (path) => {
      const res = await client.request<ErrorBody>("GET", path, { headers: { "x-request-id": "edge-404" } });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: "NOT_FOUND", message: "No such route", requestId: "edge-404" },
      });
    },
  );
});

describe("limits", () => {
  test("repeated logins → 429 RATE_LIMITED from nginx in the error shape, with Retry-After", async () => {
    const results: { status: number; body: ErrorBody; retryAfter: string | null }[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await client.request<ErrorBody>("POST", "/api/users/login", {
        headers: { "x-request-id": `login-${i}` },
        body: { email: `nobody-${i}@example.com`, password: "wrong-password" },
      });
      results.push({ status: res.status, body: res.body, retryAfter: res.headers.get("retry-after") });
    }
    // Burst of 3 plus the first: the service itself answers those (wrong password → 401).
    expect(results.slice(0, 4).map((r) => r.status)).toEqual([401, 401, 401, 401]);
    const limited = results[5]!;
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBe("10");
    expect(limited.body).toEqual({
      error: {
        code: "RATE_LIMITED",
        message: "Too many attempts, try again later",
        details: { retryAfterSeconds: 10 },
        requestId: "login-5",
      },
    });
    // The limited attempts never reached the user service.
    const reached = system.logs("users").filter((r) => r["trace.id"] === "login-5");
    expect(reached).toEqual([]);
  });

  test("a body over the limit → 413 in the error shape, before any service sees it", async () => {
    const shopper = await newCustomer(client);
    const res = await client.request<ErrorBody>("POST", "/api/orders", {
      token: shopper.accessToken,
      headers: { "x-request-id": "too-big" },
      body: { items: [], shippingAddress: { line1: "x".repeat(9000) }, paymentMethod: "card" },
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is too large", requestId: "too-big" },
    });
    expect(system.logs("orders").filter((r) => r["trace.id"] === "too-big")).toEqual([]);
  });
});
