import { describe, expect, test } from "bun:test";
import { errorPlugin, NotFoundError } from "@ecom/errors";
import { Elysia } from "elysia";
import { z } from "zod";
import { cacheableJson, cacheControl, entityTag, ifNoneMatchHits, varyWith } from "../src/index.ts";

describe("entityTag", () => {
  test("a quoted base64url SHA-256 of the bytes: equal bodies, equal tags; one byte apart, different", () => {
    expect(entityTag('{"a":1}')).toBe(entityTag('{"a":1}'));
    expect(entityTag('{"a":1}')).not.toBe(entityTag('{"a":2}'));
    expect(entityTag("")).toBe(`"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"`);
  });
});

describe("ifNoneMatchHits (RFC 9110 §13.1.2)", () => {
  const tag = '"abc"';
  test.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    [' W/"x" ,,W/"abc" , ', true],
    ['"a,b", "abc"', true],
    ["*", true],
    [" * ", true],
    ['"x", "y"', false],
    ['"ABC"', false],
    ["abc", false],
    ['"abc", junk', false],
    ['"ab"c"', false],
    ['*, "abc"', false],
    ["", false],
  ])("%p → %p", (field, hit) => {
    expect(ifNoneMatchHits(field, tag)).toBe(hit);
  });
  test("no header never matches", () => {
    expect(ifNoneMatchHits(null, tag)).toBe(false);
  });
});

describe("cacheControl", () => {
  const policy = { maxAgeSeconds: 5, staleWhileRevalidateSeconds: 30 };
  test("anonymous: public for a short while; with credentials: never stored", () => {
    expect(cacheControl(policy, false)).toBe("public, max-age=5, stale-while-revalidate=30");
    expect(cacheControl(policy, true)).toBe("private, no-store");
    expect(cacheControl({ ...policy, staleWhileRevalidateSeconds: 0 }, false)).toBe("public, max-age=5");
    expect(cacheControl({ ...policy, maxAgeSeconds: 0 }, false)).toBe("public, no-cache");
  });
});

describe("varyWith", () => {
  test("adds the field once and keeps what others set", () => {
    expect(varyWith(undefined, "Authorization")).toBe("Authorization");
    expect(varyWith("Accept-Encoding", "Authorization")).toBe("Accept-Encoding, Authorization");
    expect(varyWith("accept-encoding, authorization", "Authorization")).toBe(
      "accept-encoding, authorization",
    );
    expect(varyWith("*", "Authorization")).toBe("*");
  });
});

describe("cacheableJson", () => {
  const app = new Elysia().use(errorPlugin({ error: () => {} })).get(
    "/thing/:id",
    ({ params, set }) => {
      if (params.id === "missing") throw new NotFoundError("No such thing");
      set.headers.vary = "Accept-Encoding";
      return { id: params.id, internal: "stripped by the schema" };
    },
    {
      mapResponse: cacheableJson({ maxAgeSeconds: 5, staleWhileRevalidateSeconds: 30 }),
      response: z.object({ id: z.string() }),
    },
  );
  const call = (path: string, headers: Record<string, string> = {}) =>
    app.handle(new Request(`http://localhost${path}`, { headers }));

  test("tags the validated body as sent, and answers a match with a bodiless 304 with the same headers", async () => {
    const res = await call("/thing/a");
    const body = await res.text();
    expect(body).toBe('{"id":"a"}');
    expect(res.headers.get("etag")).toBe(entityTag(body));
    expect(res.headers.get("content-type")).toBe("application/json;charset=utf-8");
    expect(res.headers.get("vary")).toBe("Accept-Encoding, Authorization");
    const again = await call("/thing/a", { "if-none-match": entityTag(body) });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    for (const header of ["etag", "cache-control", "vary"])
      expect(again.headers.get(header)).toBe(res.headers.get(header));
    expect((await call("/thing/a", { authorization: "Bearer x" })).headers.get("cache-control")).toBe(
      "private, no-store",
    );
  });

  test("leaves errors alone", async () => {
    const res = await call("/thing/missing", { "if-none-match": "*" });
    expect(res.status).toBe(404);
    for (const header of ["etag", "cache-control", "vary"]) expect(res.headers.get(header)).toBeNull();
  });
});
