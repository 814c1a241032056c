import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { entityTag } from "@ecom/service-kit";
import { createProduct, type Fixture, startFixture } from "./support/fixture.ts";

const ANONYMOUS = "public, max-age=5, stale-while-revalidate=30";
const PRIVATE = "private, no-store";
const LIST = "/api/products?category=caching&sort=name";

let f: Fixture;
let productId: string;
const get = (path: string, options: { token?: string; ifNoneMatch?: string; method?: string } = {}) =>
  f.call(options.method ?? "GET", path, {
    ...(options.token ? { token: options.token } : {}),
    headers: options.ifNoneMatch === undefined ? {} : { "if-none-match": options.ifNoneMatch },
  });
const tagOf = async (path: string, token?: string) => (await get(path, { token })).headers.get("etag")!;
const cachingHeaders = (res: Response) => ({
  etag: res.headers.get("etag"),
  cacheControl: res.headers.get("cache-control"),
  vary: res.headers.get("vary"),
});

beforeAll(async () => {
  f = await startFixture();
  productId = (await createProduct(f, { category: "caching", name: "Cached A" })).id;
  await createProduct(f, { category: "caching", name: "Cached B" });
});
afterAll(() => f.close());

describe("ETag", () => {
  test("is the strong hash of the exact body bytes, and the same for the same content", async () => {
    for (const path of [`/api/products/${productId}`, LIST]) {
      const first = await get(path);
      const body = await first.text();
      expect(first.status).toBe(200);
      expect(first.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect(first.headers.get("etag")).toBe(entityTag(body));
      expect(await tagOf(path)).toBe(entityTag(body));
    }
  });

  test("changes when the product changes, and the lists it is in change with it", async () => {
    const product = await tagOf(`/api/products/${productId}`);
    const list = await tagOf(LIST);
    const other = await tagOf("/api/products?category=elsewhere");
    const patched = await f.call("PATCH", `/api/products/${productId}`, {
      token: f.adminToken,
      body: { price: 12.5 },
    });
    expect(patched.status).toBe(200);
    expect(await tagOf(`/api/products/${productId}`)).not.toBe(product);
    expect(await tagOf(LIST)).not.toBe(list);
    expect(await tagOf("/api/products?category=elsewhere")).toBe(other);

    const before = await tagOf(LIST);
    await createProduct(f, { category: "caching", name: "Cached C" });
    expect(await tagOf(LIST)).not.toBe(before);
  });
});

describe("If-None-Match", () => {
  test("the current tag answers 304 with no body and the same caching headers and a request id", async () => {
    for (const path of [`/api/products/${productId}`, LIST]) {
      const full = await get(path);
      const tag = full.headers.get("etag")!;
      const res = await get(path, { ifNoneMatch: tag });
      expect(res.status).toBe(304);
      expect(await res.text()).toBe("");
      expect(cachingHeaders(res)).toEqual({ etag: tag, cacheControl: ANONYMOUS, vary: "Authorization" });
      expect(res.headers.get("x-request-id")).toBeTruthy();
      expect(res.headers.get("content-type")).toBeNull();
    }
  });

  test("matches within a list, as a weak tag, and for *; anything else is a full 200", async () => {
    const path = `/api/products/${productId}`;
    const tag = await tagOf(path);
    const statusFor = async (ifNoneMatch: string) => (await get(path, { ifNoneMatch })).status;
    expect(await statusFor(`"elsewhere", ${tag}`)).toBe(304);
    expect(await statusFor(`W/"x" ,, W/${tag}, `)).toBe(304);
    expect(await statusFor(`W/${tag}`)).toBe(304);
    expect(await statusFor("*")).toBe(304);
    expect(await statusFor(' "a,b", "c" ')).toBe(200);
    expect(await statusFor(`"${tag}"`)).toBe(200);
    expect(await statusFor(tag.slice(1, -1))).toBe(200);
    expect(await statusFor(`${tag}, garbage`)).toBe(200);
    expect(await statusFor("")).toBe(200);
    const other = await get(path, { ifNoneMatch: '"someone-elses-tag"' });
    expect(other.status).toBe(200);
    expect((await other.json()).id).toBe(productId);
    expect(other.headers.get("etag")).toBe(tag);
  });

  test("a tag from before a change no longer matches", async () => {
    const path = `/api/products/${productId}`;
    const old = await tagOf(path);
    await f.call("PATCH", `/api/products/${productId}/stock`, { token: f.adminToken, body: { quantity: 1 } });
    const res = await get(path, { ifNoneMatch: old });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).not.toBe(old);
  });
});

describe("Cache-Control and Vary", () => {
  test("anonymous reads may be shared briefly; with a customer's or an admin's token never stored", async () => {
    for (const path of [`/api/products/${productId}`, LIST]) {
      expect(cachingHeaders(await get(path))).toMatchObject({
        cacheControl: ANONYMOUS,
        vary: "Authorization",
      });
      for (const token of [f.customerToken, f.adminToken]) {
        const res = await get(path, { token });
        expect(res.status).toBe(200);
        expect(cachingHeaders(res)).toMatchObject({ cacheControl: PRIVATE, vary: "Authorization" });
        const again = await get(path, { token, ifNoneMatch: res.headers.get("etag")! });
        expect(again.status).toBe(304);
        expect(cachingHeaders(again)).toMatchObject({ cacheControl: PRIVATE, vary: "Authorization" });
      }
    }
  });

  test("an admin's view with inactive products has its own tag", async () => {
    const hidden = await createProduct(f, { category: "caching", name: "Cached Hidden", isActive: false });
    const path = `${LIST}&includeInactive=true`;
    expect(await tagOf(path, f.adminToken)).not.toBe(await tagOf(path));
    expect((await get(`/api/products/${hidden.id}`, { token: f.adminToken })).status).toBe(200);
    const anonymous = await get(`/api/products/${hidden.id}`);
    expect(anonymous.status).toBe(404);
    expect(cachingHeaders(anonymous)).toEqual({ etag: null, cacheControl: null, vary: null });
  });
});

describe("HEAD", () => {
  test("answers the GET's headers without a body, and 304 on a match", async () => {
    for (const path of [`/api/products/${productId}`, LIST]) {
      const full = await get(path);
      const head = await get(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
      expect(cachingHeaders(head)).toEqual(cachingHeaders(full));
      expect(head.headers.get("content-length")).toBe(String((await full.arrayBuffer()).byteLength));
      const conditional = await get(path, { method: "HEAD", ifNoneMatch: full.headers.get("etag")! });
      expect(conditional.status).toBe(304);
      expect(cachingHeaders(conditional)).toEqual(cachingHeaders(full));
    }
  });
});

describe("answers that are not a read's 200", () => {
  test("errors carry no ETag, Cache-Control or Vary, and If-None-Match does not turn them into 304", async () => {
    const errors = [
      await get("/api/products/no-such-product"),
      await get("/api/products/no-such-product", { ifNoneMatch: "*" }),
      await get("/api/products?limit=0", { ifNoneMatch: "*" }),
      await get("/api/products?unknown=1"),
      await get(LIST, { token: "not-a-token", ifNoneMatch: "*" }),
    ];
    expect(errors.map((r) => r.status)).toEqual([404, 404, 400, 400, 401]);
    for (const res of errors) {
      expect(cachingHeaders(res)).toEqual({ etag: null, cacheControl: null, vary: null });
      expect((await res.json()).error.requestId).toBe(res.headers.get("x-request-id"));
    }
  });

  test("writes carry none of it either", async () => {
    const created = await f.call("POST", "/api/products", {
      token: f.adminToken,
      body: { name: "Write", description: "A write", price: 1, category: "caching", stock: 1 },
    });
    const id = ((await created.json()) as { id: string }).id;
    const writes = [
      created,
      await f.call("PATCH", `/api/products/${id}`, { token: f.adminToken, body: { price: 2 } }),
      await f.call("PATCH", `/api/products/${id}/stock`, { token: f.adminToken, body: { quantity: 1 } }),
      await f.call("DELETE", `/api/products/${id}`, { token: f.adminToken }),
    ];
    expect(writes.map((r) => r.status)).toEqual([201, 200, 200, 204]);
    for (const res of writes)
      expect(cachingHeaders(res)).toEqual({ etag: null, cacheControl: null, vary: null });
  });
});

describe("settings", () => {
  test("CATALOG_MAX_AGE_SECONDS=0 makes anonymous reads revalidate every time", async () => {
    const strict = await startFixture({
      env: { CATALOG_MAX_AGE_SECONDS: "0", CATALOG_STALE_WHILE_REVALIDATE_SECONDS: "0" },
    });
    try {
      const res = await strict.call("GET", "/api/products");
      expect(res.headers.get("cache-control")).toBe("public, no-cache");
      expect(res.headers.get("etag")).toMatch(/^"/);
    } finally {
      await strict.close();
    }
  });
});

describe("OpenAPI document", () => {
  type Answer = { headers?: Record<string, unknown>; content?: unknown };
  type Operation = { responses: Record<string, Answer>; parameters: { name: string; in: string }[] };

  test("both reads document the 304, the caching headers and If-None-Match, and keep their other answers", async () => {
    const doc = (await (await f.call("GET", "/openapi.json")).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const list = doc.paths["/api/products"]!.get!;
    const one = doc.paths["/api/products/{id}"]!.get!;
    expect(Object.keys(list.responses).sort()).toEqual(["200", "304", "400", "503"]);
    expect(Object.keys(one.responses).sort()).toEqual(["200", "304", "400", "404", "503"]);
    for (const operation of [list, one]) {
      expect(operation.responses["304"]!.content).toBeUndefined();
      for (const status of ["200", "304"])
        expect(Object.keys(operation.responses[status]!.headers ?? {}).sort()).toEqual([
          "cache-control",
          "etag",
          "vary",
        ]);
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({ name: "if-none-match", in: "header", required: false }),
      );
    }
    expect(list.parameters.filter((p) => p.in === "query").map((p) => p.name)).toContain("category");
    expect(one.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path" }));
  });
});
