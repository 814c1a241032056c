import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct, type Fixture, startFixture } from "./support/fixture.ts";

let f: Fixture;
let productId: string;
beforeAll(async () => {
  f = await startFixture();
  productId = (await createProduct(f)).id;
  expect((await f.call("GET", "/health/ready")).status).toBe(200);
  await f.mongo.stop();
});
afterAll(() => f.close());

describe("when the mongo server is gone", () => {
  test("/health/ready is 503 and /health/live still 200", async () => {
    const ready = await f.call("GET", "/health/ready");
    expect(ready.status).toBe(503);
    expect((await ready.json()).error.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect((await f.call("GET", "/health/live")).status).toBe(200);
  });

  test("REST requests answer 503 DEPENDENCY_UNAVAILABLE, never a stack", async () => {
    const res = await f.call("GET", `/api/products/${productId}`);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error).toMatchObject({
      code: "DEPENDENCY_UNAVAILABLE",
      details: { dependency: "products database" },
    });
    expect(JSON.stringify(body)).not.toContain("at ");
    // A 503 must not be cached or revalidated as if it were the catalog.
    for (const header of ["etag", "cache-control", "vary"]) expect(res.headers.get(header)).toBeNull();
  });

  test("tRPC callers get SERVICE_UNAVAILABLE (503) so they retry", async () => {
    const res = await f.trpc("mutation", "release", { orderId: crypto.randomUUID() });
    expect(res.status).toBe(503);
    expect((await res.json()).error.data.code).toBe("SERVICE_UNAVAILABLE");
  });
});
