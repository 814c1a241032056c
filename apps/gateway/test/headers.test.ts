import { afterAll, describe, expect, test } from "bun:test";
import { startGateway, startUpstream } from "./gateway-harness.ts";

const users = startUpstream((request) =>
  Response.json({ echoed: request.headers.get("x-request-id") }, { headers: { connection: "close" } }),
);
const gateway = startGateway({ users: users.url, products: users.url, orders: users.url });
afterAll(() => {
  gateway.stop();
  users.stop();
});

describe("headers", () => {
  test("a caller's x-request-id reaches the service, comes back, and is in the access log", async () => {
    const res = await fetch(`${gateway.url}/api/users/me`, { headers: { "x-request-id": "client-id-42" } });
    expect(res.headers.get("x-request-id")).toBe("client-id-42");
    expect(users.seen.at(-1)!.headers.get("x-request-id")).toBe("client-id-42");
    const access = gateway.logLines.map((l) => JSON.parse(l)).find((l) => l["trace.id"] === "client-id-42");
    expect(access).toMatchObject({ "http.response.status_code": 200, "url.path": "/api/users/me" });
  });

  test("without one (or with an unsafe one) the gateway makes one and passes it on", async () => {
    const variants: Record<string, string>[] = [{}, { "x-request-id": "bad id\twith spaces" }];
    for (const headers of variants) {
      const res = await fetch(`${gateway.url}/api/users/me`, { headers });
      const id = res.headers.get("x-request-id");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(users.seen.at(-1)!.headers.get("x-request-id")).toBe(id);
    }
  });

  test("x-forwarded-for/proto/host describe the original request", async () => {
    await fetch(`${gateway.url}/api/users/me`);
    const seen = users.seen.at(-1)!.headers;
    expect(seen.get("x-forwarded-for")).toBe("127.0.0.1");
    expect(seen.get("x-forwarded-proto")).toBe("http");
    expect(seen.get("x-forwarded-host")).toBe(new URL(gateway.url).host);
    expect(seen.get("host")).toBe(new URL(users.url).host);
  });

  test("a client's forwarding headers are dropped: the chain starts at the peer", async () => {
    await fetch(`${gateway.url}/api/users/me`, {
      headers: { "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8", forwarded: "for=203.0.113.9" },
    });
    const seen = users.seen.at(-1)!.headers;
    expect(seen.get("x-forwarded-for")).toBe("127.0.0.1");
    expect(seen.get("x-real-ip")).toBeNull();
    expect(seen.get("forwarded")).toBeNull();
  });

  test("behind a trusted proxy the chain is extended, not replaced", async () => {
    const behindProxy = startGateway({ users: users.url, products: users.url, orders: users.url }, 2000, [
      "127.0.0.0/8",
    ]);
    try {
      await fetch(`${behindProxy.url}/api/users/me`, { headers: { "x-forwarded-for": "203.0.113.7" } });
      expect(users.seen.at(-1)!.headers.get("x-forwarded-for")).toBe("203.0.113.7, 127.0.0.1");
    } finally {
      behindProxy.stop();
    }
  });

  test("authorization and content headers pass; hop-by-hop headers do not", async () => {
    const res = await fetch(`${gateway.url}/api/users/login`, {
      method: "POST",
      headers: {
        authorization: "Bearer t",
        "content-type": "application/json",
        "x-hop": "1",
        connection: "x-hop",
      },
      body: JSON.stringify({ email: "a@b.c" }),
    });
    const seen = users.seen.at(-1)!;
    expect(seen.headers.get("authorization")).toBe("Bearer t");
    expect(seen.headers.get("content-type")).toBe("application/json");
    expect(seen.headers.get("x-hop")).toBeNull();
    expect(seen.body).toBe('{"email":"a@b.c"}');
    expect(res.headers.get("connection")).not.toBe("close");
  });
});
