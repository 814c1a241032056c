// The requests one load process sends, as autocannon request entries. Plain JavaScript so Node can run it.
import { randomUUID } from "node:crypto";

const headerValue = (headers, name) => {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.at(-1) : value;
};

/**
 * Variants go round-robin over every connection, so many users and products mix. `entry(etags)` gives
 * one connection its request entry: with an `etags` map (that connection's own, like one browser's
 * cache) a path answered with an `ETag` is asked again with `If-None-Match`, and a 200 without one
 * forgets it, so a server that sends none gets plain GETs.
 * @param {import("./load-spec.ts").RequestVariant[]} requests
 */
export function createRequestSource(requests) {
  const variants = requests.map((v) => ({ ...v, dynamic: v.body?.includes("{{uuid}}") ?? false }));
  let next = 0;
  let conditional = 0;
  /** @param {Map<string, string> | undefined} etags */
  const entry = (etags) => ({
    // Keeps autocannon's defaults (host, port) and sets this request's own parts. `context` lives from
    // this request's setup to its response (autocannon resets it for every request of a one-entry list).
    setupRequest: (defaults, context) => {
      const v = variants[next++ % variants.length];
      const etag = etags?.get(v.path);
      context.path = v.path;
      context.conditional = etag !== undefined;
      return {
        ...defaults,
        method: v.method,
        path: v.path,
        headers: etag === undefined ? (v.headers ?? {}) : { ...v.headers, "if-none-match": etag },
        body: v.dynamic ? v.body.replaceAll("{{uuid}}", randomUUID()) : v.body,
      };
    },
    // Only revalidating connections look at responses: autocannon builds a header object for each
    // response only when there is an `onResponse`.
    ...(etags && {
      onResponse: (status, _body, context, headers) => {
        if (context.conditional) conditional++;
        const etag = headerValue(headers, "etag");
        if (etag !== undefined && (status === 200 || status === 304)) etags.set(context.path, etag);
        else if (status === 200) etags.delete(context.path);
      },
    }),
  });
  return { entry, conditional: () => conditional };
}
