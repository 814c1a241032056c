import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rawRequest } from "@ecom/test-harness";
import { startGateway, startUpstream } from "./gateway-harness.ts";

const users = startUpstream();
const products = startUpstream();
const orders = startUpstream((request) =>
  new URL(request.url).pathname === "/api/orders/created"
    ? Response.json({ id: "o1" }, { status: 201, headers: { "x-custom": "kept" } })
    : Response.json({ path: new URL(request.url).pathname }),
);
let gateway: ReturnType<typeof startGateway>;

beforeAll(() => {
  gateway = startGateway({ users: users.url, products: products.url, orders: orders.url });
});
afterAll(() => {
  gateway.stop();
  for (const u of [users, products, orders]) u.stop();
});

describe("routing", () => {
  test.each([
    ["/api/users/login", users],
    ["/api/users", users],
    ["/api/products?q=lamp&page=2", products],
    ["/api/products/abc", products],
    ["/api/orders", orders],
    ["/api/orders/123/cancel", orders],
  ])("%s goes to its service with path and query unchanged", async (path, upstream) => {
    const before = upstream.seen.length;
    const res = await fetch(gateway.url + path);
    expect(res.status).toBe(200);
    expect(upstream.seen.length).toBe(before + 1);
    const seen = upstream.seen.at(-1)!;
    expect(new URL(seen.url).pathname + new URL(seen.url).search).toBe(path);
  });

  test.each([
    "/trpc/getById",
    "/api/users/../../trpc/x",
    "/metrics",
    "/api/usersx",
    "/api",
    "/",
    "/health/ready",
  ])("%s is not routed (404 in the error shape)", async (path) => {
    const counts = [users, products, orders].map((u) => u.seen.length);
    const res = await fetch(gateway.url + path, { headers: { "x-request-id": "rid-404" } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "NOT_FOUND", message: "No such route", requestId: "rid-404" },
    });
    expect([users, products, orders].map((u) => u.seen.length)).toEqual(counts);
  });

  test("an encoded dot-dot path cannot climb out of /api/users to /trpc", async () => {
    const before = users.seen.length;
    const { port } = new URL(gateway.url);
    // Sent raw, since fetch would resolve the dots.
    const reply = await rawRequest(
      Number(port),
      "GET /api/users/%2e%2e/%2e%2e/trpc/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(reply.status).toBe(404);
    expect(users.seen.length).toBe(before);
  });

  test("status, headers and body of the service's answer come back unchanged", async () => {
    const res = await fetch(`${gateway.url}/api/orders/created`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-custom")).toBe("kept");
    expect(await res.json()).toEqual({ id: "o1" });
  });

  test("the gateway answers its own liveness probe", async () => {
    const res = await fetch(`${gateway.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
