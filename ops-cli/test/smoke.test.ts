import { afterEach, describe, expect, test } from "bun:test";
import { runEcom } from "./support/run-ecom.ts";

/**
 * A real HTTP server answering the gateway's public routes the way the services do: JWKS from the user
 * service, the catalog from the product service, 401 UNAUTHORIZED from the order service, and a login.
 */
function startGateway(options: { catalogStatus?: number; password?: string; failFirst?: number } = {}) {
  const requests: string[] = [];
  let failures = options.failFirst ?? 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      if (url.pathname === "/api/users/.well-known/jwks.json")
        return Response.json({ keys: [{ kty: "OKP" }] });
      if (url.pathname === "/api/products") {
        if (failures-- > 0) return new Response("warming up", { status: 503 });
        return Response.json(
          { items: [], page: 1, limit: 1, total: 0 },
          { status: options.catalogStatus ?? 200 },
        );
      }
      if (url.pathname === "/api/orders") {
        return Response.json(
          { error: { code: "UNAUTHORIZED", message: "sign in", requestId: "r" } },
          { status: 401 },
        );
      }
      if (url.pathname === "/api/users/login" && req.method === "POST") {
        const body = (await req.json()) as { email: string; password: string };
        return body.password === options.password
          ? Response.json({ accessToken: "a.b.c", refreshToken: "r", tokenType: "Bearer", expiresIn: 900 })
          : Response.json({ error: { code: "INVALID_CREDENTIALS", message: "no" } }, { status: 401 });
      }
      return new Response("not found", { status: 404 });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}

let gateway: ReturnType<typeof startGateway> | undefined;
afterEach(() => gateway?.stop());

describe("ecom smoke <url>", () => {
  test("passes against a healthy gateway and logs in with the smoke account", async () => {
    gateway = startGateway({ password: "smoke-pass-1" });
    const result = await runEcom(["smoke", gateway.url], {
      ECOM_SMOKE_EMAIL: "smoke@example.com",
      ECOM_SMOKE_PASSWORD: "smoke-pass-1",
    });
    expect(result.stderr).toContain("Summary: ecom smoke");
    expect(result.exitCode).toBe(0);
    expect(gateway.requests).toEqual([
      "GET /api/users/.well-known/jwks.json",
      "GET /api/orders",
      "GET /api/products?limit=1",
      "POST /api/users/login",
    ]);
  });

  test("a failing check exits 1 and names it; without a smoke account the login is skipped visibly", async () => {
    gateway = startGateway({ catalogStatus: 503 });
    const result = await runEcom(["smoke", gateway.url]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`GET ${gateway.url}/api/products?limit=1: expected HTTP 200, got 503`);
    expect(result.stderr).toContain("smoke: login (skipped: set ECOM_SMOKE_EMAIL and ECOM_SMOKE_PASSWORD");
  });

  test("a check that fails at first is retried (ECOM_SMOKE_ATTEMPTS)", async () => {
    gateway = startGateway({ failFirst: 2 });
    const result = await runEcom(["smoke", gateway.url], { ECOM_SMOKE_ATTEMPTS: "3" });
    expect(result.exitCode).toBe(0);
    expect(gateway.requests.filter((r) => r.startsWith("GET /api/products"))).toHaveLength(3);
  });

  test("a wrong smoke password fails the login check", async () => {
    gateway = startGateway({ password: "right-password" });
    const result = await runEcom(["smoke", gateway.url], {
      ECOM_SMOKE_EMAIL: "smoke@example.com",
      ECOM_SMOKE_PASSWORD: "wrong-password",
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("/api/users/login: expected HTTP 200, got 401");
  });

  test("nothing listening is a failed check, not a crash", async () => {
    const result = await runEcom(["smoke", "http://127.0.0.1:9"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("smoke tests failed");
  });

  test("--dry-run lists the requests and sends none", async () => {
    gateway = startGateway();
    const result = await runEcom(["smoke", gateway.url, "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`[dry-run] GET ${gateway.url}/api/products?limit=1`);
    expect(gateway.requests).toEqual([]);
  });
});
