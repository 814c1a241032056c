import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { type NginxProcess, startNginx } from "../src/index.ts";
import { closedAddress, httpsFetch, startDroppingInstance, startInstance } from "./fake-instances.ts";

const healthy = startInstance();
// Answers only once the suite is over: a 504 during a test can only be nginx's read timeout.
const hang = Promise.withResolvers<void>();
const slow = startInstance(async () => {
  await hang.promise;
  return Response.json({ late: true });
});
let nginx: NginxProcess | undefined;
afterEach(async () => {
  await nginx?.stop();
  nginx = undefined;
});
afterAll(() => {
  hang.resolve();
  healthy.stop();
  slow.stop();
});

const withProducts = async (products: string[], extra: { readTimeout?: string } = {}) => {
  nginx = await startNginx({
    instances: { users: [healthy.address], products, orders: [healthy.address] },
    ...extra,
  });
  return nginx;
};

describe("several instances per service", () => {
  test("an instance that refuses connections is skipped: every request succeeds through the other", async () => {
    const n = await withProducts([closedAddress(), healthy.address]);
    for (let i = 0; i < 6; i++) {
      const method = i % 2 === 0 ? "GET" : "POST";
      expect(
        (await httpsFetch(`${n.url}/api/products`, { method, body: method === "POST" ? "{}" : undefined }))
          .status,
      ).toBe(200);
    }
  });

  test("a GET whose connection drops after it was sent is retried on the next instance", async () => {
    const dropping = startDroppingInstance();
    const n = await withProducts([dropping.address, healthy.address]);
    for (let i = 0; i < 4; i++) expect((await httpsFetch(`${n.url}/api/products/${i}`)).status).toBe(200);
    // Passive health check: after its failure the instance is left out for fail_timeout.
    expect(dropping.requests()).toBe(1);
    dropping.stop();
  });

  test("a POST whose connection drops after it was sent is NOT replayed elsewhere: 502 in the error shape", async () => {
    const dropping = startDroppingInstance();
    const n = await withProducts([dropping.address, healthy.address]);
    const before = healthy.seen.length;
    const statuses: number[] = [];
    let body: unknown;
    for (let i = 0; i < 2 && dropping.requests() === 0; i++) {
      const res = await httpsFetch(`${n.url}/api/products`, {
        method: "POST",
        headers: { "x-request-id": `post-${i}` },
        body: "{}",
      });
      statuses.push(res.status);
      if (res.status === 502) body = await res.json();
      else await res.text();
    }
    expect(dropping.requests()).toBe(1);
    expect(statuses.at(-1)).toBe(502);
    expect(body).toEqual({
      error: {
        code: "DEPENDENCY_UNAVAILABLE",
        message: "No instance of the service is reachable",
        requestId: `post-${statuses.length - 1}`,
      },
    });
    // Only round-robin turns that landed on the healthy instance reached it; the dropped POST did not.
    expect(healthy.seen.length - before).toBe(statuses.length - 1);
    dropping.stop();
  });

  test("every instance down → 502 in the error shape", async () => {
    const n = await withProducts([closedAddress(), closedAddress()]);
    const res = await httpsFetch(`${n.url}/api/products`, { headers: { "x-request-id": "all-down" } });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("DEPENDENCY_UNAVAILABLE");
  });

  test("an instance slower than proxy_read_timeout → 504 in the error shape", async () => {
    const n = await withProducts([slow.address], { readTimeout: "1s" });
    const res = await httpsFetch(`${n.url}/api/products`, {
      method: "POST",
      body: "{}",
      headers: { "x-request-id": "slow-1" },
    });
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({
      error: {
        code: "DEPENDENCY_UNAVAILABLE",
        message: "The service did not answer in time",
        requestId: "slow-1",
      },
    });
  });
});
