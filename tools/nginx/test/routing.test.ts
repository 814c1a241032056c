import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { waitFor } from "@ecom/test-harness";
import { type NginxProcess, startNginx } from "../src/index.ts";
import { httpsFetch, startInstance } from "./fake-instances.ts";

const users = startInstance();
const products = startInstance();
const orders = startInstance();
let nginx: NginxProcess;

beforeAll(async () => {
  nginx = await startNginx({
    instances: { users: [users.address], products: [products.address], orders: [orders.address] },
  });
});
afterAll(async () => {
  await nginx.stop();
  for (const i of [users, products, orders]) i.stop();
});

describe("nginx routing over TLS", () => {
  test.each([
    ["/api/users/register", users],
    ["/api/users", users],
    ["/api/products?q=lamp&sort=-price", products],
    ["/api/products/42", products],
    ["/api/orders", orders],
    ["/api/orders/1/cancel", orders],
  ])("%s reaches its service unchanged", async (path, instance) => {
    const res = await httpsFetch(nginx.url + path);
    expect(res.status).toBe(200);
    expect(instance.seen.at(-1)?.path).toBe(path);
  });

  test.each(["/trpc/getById", "/metrics", "/health/ready", "/api/usersx", "/api", "/"])(
    "%s is not routed: 404 in the error shape",
    async (path) => {
      const before = [users, products, orders].map((i) => i.seen.length);
      const res = await httpsFetch(nginx.url + path, { headers: { "x-request-id": "rid-404" } });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual({
        error: { code: "NOT_FOUND", message: "No such route", requestId: "rid-404" },
      });
      expect([users, products, orders].map((i) => i.seen.length)).toEqual(before);
    },
  );

  test("plain HTTP on the TLS port is refused", async () => {
    const before = users.seen.length;
    const res = await fetch(`http://127.0.0.1:${nginx.port}/api/users`);
    expect(res.status).toBe(400);
    expect(users.seen.length).toBe(before);
  });
});

describe("request id and forwarded headers", () => {
  test("the caller's x-request-id reaches the service and comes back once", async () => {
    const res = await httpsFetch(`${nginx.url}/api/orders`, { headers: { "x-request-id": "client-rid-1" } });
    expect(res.headers.get("x-request-id")).toBe("client-rid-1");
    expect(orders.seen.at(-1)?.headers.get("x-request-id")).toBe("client-rid-1");
    // nginx writes the access-log line just after the response: wait until it is there.
    const logged = await waitFor(
      () => nginx.accessLog().find((l) => l["trace.id"] === "client-rid-1"),
      (line) => line !== undefined,
    );
    expect(logged).toMatchObject({ "url.path": "/api/orders", "http.response.status_code": 200 });
  });

  test("without one (or with an unsafe one) nginx generates one and passes it on", async () => {
    const variants: Record<string, string>[] = [{}, { "x-request-id": "not safe; <script>" }];
    for (const headers of variants) {
      const res = await httpsFetch(`${nginx.url}/api/orders`, { headers });
      const id = res.headers.get("x-request-id");
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(orders.seen.at(-1)?.headers.get("x-request-id")).toBe(id);
    }
  });

  test("x-forwarded-for/proto/host/port describe the client's request", async () => {
    await httpsFetch(`${nginx.url}/api/products`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    const headers = products.seen.at(-1)!.headers;
    expect(headers.get("x-forwarded-for")).toBe("203.0.113.9, 127.0.0.1");
    expect(headers.get("x-forwarded-proto")).toBe("https");
    expect(headers.get("x-forwarded-host")).toBe("127.0.0.1");
    expect(headers.get("x-forwarded-port")).toBe(String(nginx.port));
    expect(headers.get("x-real-ip")).toBe("127.0.0.1");
  });
});
