import { createHash } from "node:crypto";
import { t } from "elysia";
import { z } from "zod";

/** How long shared caches may keep an anonymous read (RFC 9111 §5.2.2.1, RFC 5861 §3). */
export type SharedCachePolicy = { maxAgeSeconds: number; staleWhileRevalidateSeconds: number };

/**
 * A strong entity tag: the SHA-256 of the exact body bytes, so every replica names the same body the
 * same way and any change of a byte changes the tag.
 */
export function entityTag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url")}"`;
}

/** One list member: an optional weak prefix and an opaque tag (RFC 9110 §8.8.3), then a comma or the end. */
const listedTag = /[\t ,]*(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")[\t ]*(?:,|$)/y;

/**
 * Whether `If-None-Match` matches the current tag, which makes a GET or HEAD a 304 (RFC 9110 §13.1.2):
 * `*`, or any listed tag under the weak comparison (`W/` ignored). A field that is not a valid list
 * matches nothing, so a malformed header costs the client a full answer, never a wrong 304.
 */
export function ifNoneMatchHits(field: string | null, currentTag: string): boolean {
  if (field === null) return false;
  if (field.trim() === "*") return true;
  const current = currentTag.replace(/^W\//, "");
  // Empty list elements are allowed (RFC 9110 §5.6.1); trailing ones would otherwise read as a bad member.
  const list = field.replace(/[\t ,]+$/, "");
  let hit = false;
  listedTag.lastIndex = 0;
  while (listedTag.lastIndex < list.length) {
    const member = listedTag.exec(list);
    if (!member) return false;
    if (member[1] === current) hit = true;
  }
  return hit;
}

/**
 * Anonymous answers may be shared for a short while; anything asked with credentials may differ per
 * caller (an admin sees inactive products), so it is never stored anywhere.
 */
export function cacheControl(policy: SharedCachePolicy, withCredentials: boolean): string {
  if (withCredentials) return "private, no-store";
  // max-age=0 means "always revalidate", which no-cache says outright; stale-while-revalidate would contradict it.
  if (policy.maxAgeSeconds === 0) return "public, no-cache";
  const stale =
    policy.staleWhileRevalidateSeconds > 0
      ? `, stale-while-revalidate=${policy.staleWhileRevalidateSeconds}`
      : "";
  return `public, max-age=${policy.maxAgeSeconds}${stale}`;
}

/** `field` added to a Vary value someone else may have set, without repeating it. */
export function varyWith(existing: string | number | undefined, field: string): string {
  const fields =
    existing === undefined
      ? []
      : String(existing)
          .split(",")
          .map((f) => f.trim());
  const present = fields.some((f) => f === "*" || f.toLowerCase() === field.toLowerCase());
  return present ? fields.join(", ") : [...fields.filter(Boolean), field].join(", ");
}

type MapResponseContext = {
  request: Request;
  responseValue: unknown;
  set: { status?: number | string; headers: Record<string, string | number> };
};

/**
 * A route's `mapResponse` hook for cacheable JSON reads: it serializes the validated 200 value itself,
 * so the ETag is the hash of the very bytes sent, answers a matching `If-None-Match` with a bodiless 304
 * carrying the same ETag, Cache-Control and Vary, and leaves every other answer (errors) as it is.
 */
export function cacheableJson(policy: SharedCachePolicy) {
  return ({ request, responseValue, set }: MapResponseContext): Response | undefined => {
    if ((set.status ?? 200) !== 200 || responseValue instanceof Response) return undefined;
    if (request.method !== "GET" && request.method !== "HEAD") return undefined;
    const body = JSON.stringify(responseValue);
    const tag = entityTag(body);
    set.headers.etag = tag;
    set.headers["cache-control"] = cacheControl(policy, request.headers.has("authorization"));
    // Caches must key on the credentials: with them the answer differs and is private.
    set.headers.vary = varyWith(set.headers.vary, "Authorization");
    if (ifNoneMatchHits(request.headers.get("if-none-match"), tag)) {
      set.status = 304;
      return new Response(null, { status: 304 });
    }
    return new Response(body, { status: 200, headers: { "content-type": "application/json;charset=utf-8" } });
  };
}

const responseHeaders = {
  etag: z.string().describe("Strong entity tag: a hash of the body bytes, the same on every replica"),
  "cache-control": z
    .string()
    .describe(
      "`public, max-age=…, stale-while-revalidate=…` for anonymous callers; `private, no-store` when the request carries Authorization",
    ),
  vary: z.string().describe("Includes `Authorization`"),
};

/** A 200 response schema documented with the caching headers (read by @elysiajs/openapi from `headers`). */
export function withCacheHeaders<S extends z.ZodType>(schema: S): S {
  return Object.assign(schema.clone(), { headers: responseHeaders });
}

/** The 304 of a conditional read: no body, the same caching headers as the 200 it stands for. */
export const notModified = Object.assign(
  t.Void({
    description:
      "Not modified: `If-None-Match` matched the current ETag; no body, the caching headers as on a 200",
  }),
  { headers: responseHeaders },
);

/** The conditional request header, as a route's `headers` schema (loose: every other header passes). */
export const conditionalReadHeaders = z.looseObject({
  "if-none-match": z
    .string()
    .optional()
    .describe('ETags the client holds (`"…"`, `W/"…"`, comma-separated) or `*`; a match answers 304'),
});
