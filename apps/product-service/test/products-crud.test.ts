import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { waitUntil } from "@ecom/test-harness";
import { createProduct, type Fixture, productBody, startFixture } from "./support/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

describe("product CRUD", () => {
  test("admin creates a product and anyone reads it in the API's shape", async () => {
    const res = await f.call("POST", "/api/products", {
      token: f.adminToken,
      body: productBody({
        name: "  Trail Shoe ",
        price: 89.99,
        category: "Sports",
        tags: ["Running", "outdoor"],
        images: ["https://images.example.com/trail-shoe.jpg"],
      }),
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({
      name: "Trail Shoe",
      price: 89.99,
      category: "sports",
      tags: ["running", "outdoor"],
      images: ["https://images.example.com/trail-shoe.jpg"],
      isActive: true,
      stock: 5,
    });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Object.keys(created).sort()).toEqual([
      "category",
      "createdAt",
      "description",
      "id",
      "images",
      "isActive",
      "name",
      "price",
      "stock",
      "tags",
      "updatedAt",
    ]);
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
    const got = await f.call("GET", `/api/products/${created.id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(created);
    const stored = await f.db.products.findById(created.id).lean();
    expect(stored?.priceCents).toBe(8999);
  });

  test("defaults: no images, no tags, active", async () => {
    const p = await createProduct(f);
    expect(p).toMatchObject({ images: [], tags: [], isActive: true });
  });

  test("prices keep exactly two decimals, a third decimal is refused", async () => {
    // 0.29 * 100 is 28.999999999999996 in floating point; cents must still be exactly 29.
    for (const [price, cents] of [
      [0.01, 1],
      [0.1, 10],
      [0.29, 29],
      [4.35, 435],
      [19.99, 1999],
      [1_000_000, 100_000_000],
      [123456.78, 12345678],
    ] as const) {
      const p = await createProduct(f, { price });
      expect(p.price).toBe(price);
      expect((await f.db.products.findById(p.id).lean())?.priceCents).toBe(cents);
    }
    for (const price of [19.999, 0.001, 0, -1, 1_000_000.01, "19.99", null]) {
      const res = await f.call("POST", "/api/products", {
        token: f.adminToken,
        body: productBody({ price }),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("VALIDATION_ERROR");
    }
  });

  test("create rejects unknown fields, missing fields, bad types and bad image URLs", async () => {
    const bad = [
      productBody({ id: crypto.randomUUID() }),
      productBody({ createdAt: "2020-01-01T00:00:00.000Z" }),
      productBody({ holds: [] }),
      { name: "x", description: "y", price: 1, category: "c" },
      productBody({ stock: -1 }),
      productBody({ stock: 1.5 }),
      productBody({ name: "" }),
      productBody({ name: "x".repeat(201) }),
      productBody({ images: ["javascript:alert(1)"] }),
      productBody({ images: "https://images.example.com/a.jpg" }),
      productBody({ tags: [""] }),
      productBody({ isActive: "yes" }),
    ];
    for (const body of bad) {
      const res = await f.call("POST", "/api/products", { token: f.adminToken, body });
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json.error.code).toBe("VALIDATION_ERROR");
      expect(typeof json.error.requestId).toBe("string");
    }
    const broken = await f.call("POST", "/api/products", { token: f.adminToken, raw: "{not json" });
    expect(broken.status).toBe(400);
  });

  test("admin patches any field but stock; strict body", async () => {
    const p = await createProduct(f, { tags: ["a"] });
    const res = await f.call("PATCH", `/api/products/${p.id}`, {
      token: f.adminToken,
      body: { name: "Renamed", price: 12.5, tags: ["B", "c"], category: "Other" },
    });
    expect(res.status).toBe(200);
    const patched = await res.json();
    expect(patched).toMatchObject({
      name: "Renamed",
      price: 12.5,
      tags: ["b", "c"],
      category: "other",
      stock: 5,
    });
    expect(patched.description).toBe(p.description as string);
    expect(Date.parse(patched.updatedAt)).toBeGreaterThanOrEqual(Date.parse(p.updatedAt as string));

    for (const body of [{ stock: 100 }, { price: 1.234 }, { unknown: 1 }, {}, { name: { $gt: "" } }]) {
      const bad = await f.call("PATCH", `/api/products/${p.id}`, { token: f.adminToken, body });
      expect(bad.status).toBe(400);
    }
    const after = await (await f.call("GET", `/api/products/${p.id}`)).json();
    expect(after).toEqual(patched);
  });

  test("patch or delete of an unknown product is a 404", async () => {
    const id = crypto.randomUUID();
    const patch = await f.call("PATCH", `/api/products/${id}`, { token: f.adminToken, body: { name: "n" } });
    expect(patch.status).toBe(404);
    expect((await patch.json()).error.code).toBe("NOT_FOUND");
    expect((await f.call("DELETE", `/api/products/${id}`, { token: f.adminToken })).status).toBe(404);
    expect((await f.call("GET", `/api/products/${id}`)).status).toBe(404);
    expect((await f.call("GET", "/api/products/not-a-uuid")).status).toBe(404);
  });

  test("delete is a soft delete: hidden from customers, visible to admins, repeatable", async () => {
    const p = await createProduct(f);
    const del = await f.call("DELETE", `/api/products/${p.id}`, { token: f.adminToken });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe("");
    expect((await f.call("GET", `/api/products/${p.id}`)).status).toBe(404);
    expect((await f.call("GET", `/api/products/${p.id}`, { token: f.customerToken })).status).toBe(404);
    const asAdmin = await f.call("GET", `/api/products/${p.id}`, { token: f.adminToken });
    expect(asAdmin.status).toBe(200);
    expect((await asAdmin.json()).isActive).toBe(false);
    expect((await f.call("DELETE", `/api/products/${p.id}`, { token: f.adminToken })).status).toBe(204);
    const reactivated = await f.call("PATCH", `/api/products/${p.id}`, {
      token: f.adminToken,
      body: { isActive: true },
    });
    expect((await reactivated.json()).isActive).toBe(true);
  });
});

describe("authorization", () => {
  test("a customer may not write: 403, nothing changes", async () => {
    const p = await createProduct(f);
    const token = f.customerToken;
    const attempts = [
      await f.call("POST", "/api/products", { token, body: productBody() }),
      await f.call("PATCH", `/api/products/${p.id}`, { token, body: { name: "hacked" } }),
      await f.call("DELETE", `/api/products/${p.id}`, { token }),
      await f.call("PATCH", `/api/products/${p.id}/stock`, { token, body: { quantity: 5 } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("FORBIDDEN");
    }
    expect(await (await f.call("GET", `/api/products/${p.id}`)).json()).toEqual(p);
  });

  test("who is asking is settled before the body is read: 401, then 403, then 400", async () => {
    const p = await createProduct(f);
    const bad = { name: "", price: "free", role: "admin" };
    const writes = [
      ["POST", "/api/products", bad],
      ["PATCH", `/api/products/${p.id}`, bad],
      ["PATCH", `/api/products/${p.id}/stock`, { quantity: "lots" }],
    ] as const;
    for (const [method, path, body] of writes) {
      const anonymous = await f.call(method, path, { body });
      expect([path, anonymous.status]).toEqual([path, 401]);
      const customer = await f.call(method, path, { token: f.customerToken, body });
      expect([path, customer.status]).toEqual([path, 403]);
      const admin = await f.call(method, path, { token: f.adminToken, body });
      expect([path, admin.status]).toEqual([path, 400]);
    }
  });

  test("anonymous, expired, foreign or garbage tokens are 401", async () => {
    const p = await createProduct(f);
    const expired = await f.issuer.sign(
      { sub: crypto.randomUUID(), role: "admin" },
      { expiresInSeconds: -60 },
    );
    const { createTestIssuer } = await import("@ecom/test-harness");
    const foreign = await (await createTestIssuer()).sign({ sub: crypto.randomUUID(), role: "admin" });
    for (const token of [undefined, expired, foreign, "garbage"]) {
      const res = await f.call("POST", "/api/products", { token, body: productBody() });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("UNAUTHORIZED");
      expect((await f.call("DELETE", `/api/products/${p.id}`, { token })).status).toBe(401);
    }
    // Reads are public, but a bad token on a read is still rejected rather than silently ignored.
    expect((await f.call("GET", `/api/products/${p.id}`, { token: "garbage" })).status).toBe(401);
    expect((await f.call("GET", "/api/products", { token: expired })).status).toBe(401);
  });
});

describe("service surface", () => {
  test("OpenAPI documents every products route", async () => {
    const res = await f.call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const spec = await res.json();
    expect(Object.keys(spec.paths).sort()).toEqual([
      "/api/products",
      "/api/products/{id}",
      "/api/products/{id}/stock",
    ]);
    expect(spec.paths["/api/products"].post.summary).toBe("Create a product");
    expect(JSON.stringify(spec)).not.toContain("trpc");
    expect((await f.call("GET", "/api/products/")).status).toBe(200);
  });

  test("every response carries a request id, and the caller's one is echoed", async () => {
    const res = await f.app.handle(
      new Request("http://localhost/api/products", { headers: { "x-request-id": "trace-123" } }),
    );
    expect(res.headers.get("x-request-id")).toBe("trace-123");
  });

  test("start-up created the catalog's indexes", async () => {
    const indexes = await f.db.products.listIndexes();
    const keys = indexes.map((i) => Object.keys(i.key).join(","));
    for (const key of ["_id", "category", "tags", "priceCents", "isActive", "createdAt"])
      expect(keys).toContain(key);
  });

  test("health and metrics", async () => {
    expect((await f.call("GET", "/health/live")).status).toBe(200);
    expect((await f.call("GET", "/health/ready")).status).toBe(200);
    // A request is counted after its response is sent (onAfterResponse): wait until it shows.
    const metrics = () => f.call("GET", "/metrics").then((res) => res.text());
    await waitUntil(async () => (await metrics()).includes('route="/api/products/:id"'));
  });
});

describe("model validation", () => {
  test("the mongoose schema refuses what the REST schema refuses, as a 400, even when called directly", async () => {
    const { createProductRepository } = await import("../src/repository/products.ts");
    const repository = createProductRepository(f.db.products);
    const error = await repository
      .create({ name: "x", description: "y", price: 1, category: "c", stock: -1 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, errorCode: "VALIDATION_ERROR" });
    expect((error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(["stock"]);
  });
});
