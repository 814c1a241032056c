import { expect, test } from "bun:test";
import { createRequestSource, type RequestEntry } from "../src/load/request-source.mjs";

/** One request cycle as autocannon runs it: a fresh context, setup, then the response. */
const send = (entry: RequestEntry, status: number, headers: Record<string, string> = {}) => {
  const context = {};
  const built = entry.setupRequest({ hostname: "localhost" }, context);
  entry.onResponse?.(status, "", context, headers);
  return built;
};

test("a revalidating connection sends back the ETag it got, per path, and only its own", () => {
  const source = createRequestSource([
    { method: "GET", path: "/a" },
    { method: "GET", path: "/b", headers: { accept: "application/json" } },
  ]);
  const first = source.entry(new Map());
  const other = source.entry(new Map());
  expect(send(first, 200, { ETag: '"a1"' }).headers).toEqual({});
  expect(send(first, 200, { etag: '"b1"' }).headers).toEqual({ accept: "application/json" });
  expect(send(first, 304, { etag: '"a1"' }).headers).toEqual({ "if-none-match": '"a1"' });
  // A 304 without an ETag keeps the one held; a changed resource's 200 replaces it.
  expect(send(first, 200, { etag: '"b2"' }).headers).toEqual({
    accept: "application/json",
    "if-none-match": '"b1"',
  });
  expect(send(first, 304).headers).toEqual({ "if-none-match": '"a1"' });
  expect(send(first, 304).headers).toEqual({ accept: "application/json", "if-none-match": '"b2"' });
  expect(send(other, 200).headers).toEqual({});
  expect(source.conditional()).toBe(4);
});

test("without an ETag in the answer the requests stay plain GETs", () => {
  const source = createRequestSource([{ method: "GET", path: "/a" }]);
  const entry = source.entry(new Map());
  for (let i = 0; i < 3; i++) expect(send(entry, 200).headers).toEqual({});
  // A 200 without an ETag forgets the one held before.
  send(entry, 200, { etag: '"a1"' });
  send(entry, 200);
  expect(send(entry, 200).headers).toEqual({});
  expect(source.conditional()).toBe(1);
});

test("a plain connection reads no responses and fills {{uuid}} in bodies", () => {
  const entry = createRequestSource([{ method: "POST", path: "/r", body: '{"id":"{{uuid}}"}' }]).entry(
    undefined,
  );
  expect(entry.onResponse).toBeUndefined();
  const [a, b] = [send(entry, 200), send(entry, 200)];
  expect(a.body).toMatch(/^\{"id":"[0-9a-f-]{36}"\}$/);
  expect(a.body).not.toBe(b.body);
});
