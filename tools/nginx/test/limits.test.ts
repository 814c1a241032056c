import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rawRequest } from "@ecom/test-harness";
import { type NginxProcess, startNginx } from "../src/index.ts";
import { httpsFetch, startInstance } from "./fake-instances.ts";

const users = startInstance();
const products = startInstance(async (request) =>
  Response.json({ bytes: (await request.arrayBuffer()).byteLength }),
);
let nginx: NginxProcess;

beforeAll(async () => {
  nginx = await startNginx({
    instances: { users: [users.address], products: [products.address], orders: [products.address] },
    loginRate: "6r/m",
    loginBurst: 2,
    clientMaxBodySize: "16k",
  });
});
afterAll(async () => {
  await nginx.stop();
  users.stop();
  products.stop();
});

const login = (rid: string) =>
  httpsFetch(`${nginx.url}/api/users/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": rid },
    body: JSON.stringify({ email: "a@example.com", password: "wrong-password" }),
  });

describe("login rate limit", () => {
  test("logins beyond the burst get 429 RATE_LIMITED with Retry-After, without reaching the service", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await login(`ok-${i}`)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const before = users.seen.length;
    const limited = await login("limited-1");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("10");
    expect(limited.headers.get("x-request-id")).toBe("limited-1");
    expect(await limited.json()).toEqual({
      error: {
        code: "RATE_LIMITED",
        message: "Too many attempts, try again later",
        details: { retryAfterSeconds: 10 },
        requestId: "limited-1",
      },
    });
    expect(users.seen.length).toBe(before);
  });

  test("other user routes are not limited", async () => {
    for (let i = 0; i < 5; i++) expect((await httpsFetch(`${nginx.url}/api/users/me`)).status).toBe(200);
  });
});

describe("request body limit", () => {
  test("a body over client_max_body_size → 413 in the error shape, never reaching the service", async () => {
    const before = products.seen.length;
    const res = await httpsFetch(`${nginx.url}/api/products`, {
      method: "POST",
      headers: { "x-request-id": "big-1" },
      body: new Uint8Array(17 * 1024),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: "PAYLOAD_TOO_LARGE", message: "Request body is too large", requestId: "big-1" },
    });
    expect(products.seen.length).toBe(before);
  });

  test("a body under the limit passes", async () => {
    const res = await httpsFetch(`${nginx.url}/api/products`, {
      method: "POST",
      body: new Uint8Array(15 * 1024),
    });
    expect(await res.json()).toEqual({ bytes: 15 * 1024 });
  });
});

describe("header limit", () => {
  test("headers past the buffers → 431 in the error shape with an x-request-id, never reaching the service", async () => {
    const before = products.seen.length;
    const res = await httpsFetch(`${nginx.url}/api/products`, {
      headers: { "x-request-id": "huge-headers-1", "x-filler": "a".repeat(40 * 1024) },
    });
    expect(res.status).toBe(431);
    // nginx could not read the headers, so the id is its own, in the header and the body alike.
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toBeTruthy();
    expect(((await res.json()) as { error: { code: string; requestId: string } }).error).toMatchObject({
      code: "HEADERS_TOO_LARGE",
      requestId,
    });
    expect(products.seen.length).toBe(before);
  });

  test("a request line nginx cannot parse → 400 in the error shape, never reaching the service", async () => {
    const before = products.seen.length;
    for (const line of ["GET /a b c HTTP/1.1", "G@T / HTTP/1.1", "GET /api/products\x01 HTTP/1.1"]) {
      const reply = await rawRequest(nginx.port, `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, {
        tls: true,
      });
      expect(reply.status).toBe(400);
      const requestId = reply.headers["x-request-id"];
      expect(requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.parse(reply.body)).toEqual({
        error: { code: "VALIDATION_ERROR", message: "The request is malformed", requestId },
      });
    }
    expect(products.seen.length).toBe(before);
  });
});
