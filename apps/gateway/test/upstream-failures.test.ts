import { afterAll, describe, expect, test } from "bun:test";
import { closedPortUrl, startGateway, startUpstream } from "./gateway-harness.ts";

// Answers only once the suite is over, so any answer during a test can only be the gateway's own.
const hang = Promise.withResolvers<void>();
let slowAnswered = false;
const slow = startUpstream(async () => {
  await hang.promise;
  slowAnswered = true;
  return Response.json({ late: true });
});
const down = closedPortUrl();
const gateway = startGateway({ users: down, products: slow.url, orders: slow.url }, 300);
afterAll(() => {
  hang.resolve();
  gateway.stop();
  slow.stop();
});

describe("when a service cannot answer", () => {
  test("a service that is down → 502 in the error shape, naming the service", async () => {
    const res = await fetch(`${gateway.url}/api/users/login`, {
      method: "POST",
      headers: { "x-request-id": "rid-502", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(502);
    expect(res.headers.get("x-request-id")).toBe("rid-502");
    expect(await res.json()).toEqual({
      error: {
        code: "DEPENDENCY_UNAVAILABLE",
        message: "user-service is not reachable",
        details: { service: "user-service" },
        requestId: "rid-502",
      },
    });
  });

  test("a service slower than the timeout → 504 in the error shape, before the service answers", async () => {
    const res = await fetch(`${gateway.url}/api/products`, { headers: { "x-request-id": "rid-504" } });
    expect(slowAnswered).toBe(false);
    expect(res.status).toBe(504);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error).toMatchObject({ code: "DEPENDENCY_UNAVAILABLE", requestId: "rid-504" });
  });
});

describe("hostile requests stop at the gateway", () => {
  test("nested, NUL-laden or oddly hosted requests get a 400 in the error shape, fast", async () => {
    const services = startUpstream();
    const gateway = startGateway({ users: services.url, products: services.url, orders: services.url });
    try {
      const bomb = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      for (const body of [bomb, '{"email":"a\\u0000b"}']) {
        const started = performance.now();
        const res = await fetch(`${gateway.url}/api/users/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        expect(res.status).toBe(400);
        expect(performance.now() - started).toBeLessThan(5000);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_ERROR");
      }
      const res = await fetch(`${gateway.url}/api/products?q=%00`);
      expect(res.status).toBe(400);
      expect(res.headers.get("x-request-id")).toBeTruthy();
      expect(services.seen).toHaveLength(0);
    } finally {
      gateway.stop();
      services.stop();
    }
  });
});
