import { afterAll, describe, expect, test } from "bun:test";
import { closedPortUrl, startGateway, startUpstream } from "./gateway-harness.ts";

const slow = startUpstream(async () => {
  await Bun.sleep(1500);
  return Response.json({ late: true });
});
const down = closedPortUrl();
const gateway = startGateway({ users: down, products: slow.url, orders: slow.url }, 300);
afterAll(() => {
  gateway.stop();
  slow.stop();
});

describe("when a service cannot answer", () => {
  test("a service that is down → 502 in the error shape, naming the service", async () => {
    const res = await fetch(`${gateway.url}/api/users/login`, {
      method: "POST",
      headers: { "x-request-id": "rid-502" },
      body: "{}",
    });
    expect(res.status).toBe(502);
    expect(res.headers.get("x-request-id")).toBe("rid-502");
    expect(await res.json()).toEqual({
      error: {
        code: "UPSTREAM_UNAVAILABLE",
        message: "user-service is not reachable",
        details: { service: "user-service" },
        requestId: "rid-502",
      },
    });
  });

  test("a service slower than the timeout → 504 in the error shape", async () => {
    const started = performance.now();
    const res = await fetch(`${gateway.url}/api/products`, { headers: { "x-request-id": "rid-504" } });
    expect(performance.now() - started).toBeLessThan(1200);
    expect(res.status).toBe(504);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error).toMatchObject({ code: "UPSTREAM_TIMEOUT", requestId: "rid-504" });
  });
});
