import { ValidationFailedError } from "@ecom/errors";
import { isValidHost } from "./host-header.ts";
import { checkJsonShape } from "./json-shape.ts";
import type { RequestLimits } from "./limits.ts";
import { decodeUtf8, readBodyBytes } from "./read-body.ts";
import { checkUrlText } from "./url-text.ts";

const methodsWithoutBody = new Set(["GET", "HEAD", "OPTIONS", "DELETE", "TRACE"]);
const isJson = (contentType: string) => /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType);

/**
 * A request built in-process (`app.handle`) has no Host header, only an absolute URL. Bun itself
 * hands over a relative URL when the Host it received was missing or unusable.
 */
function authorityOf(url: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  return match?.[1] ?? null;
}

export type InspectedRequest = {
  /** The body's bytes when it was read (a JSON body), so the caller need not read it again. */
  body?: Uint8Array;
};

/**
 * Everything a request is refused for before any route sees it: a Host that is no authority, a
 * path or query that is not valid text or has too many parameters, a body that is too large, not
 * JSON, not UTF-8, nested too deep, too big in values, or holding NUL or invalid Unicode. Throws
 * the AppError to answer with; each check is linear in the request's size.
 */
export async function inspectRequest(request: Request, limits: RequestLimits): Promise<InspectedRequest> {
  if (!isValidHost(request.headers.get("host") ?? authorityOf(request.url))) {
    throw new ValidationFailedError("The Host header is missing or not a valid host name");
  }
  checkUrlText(request.url, limits);
  if (methodsWithoutBody.has(request.method) && !request.headers.has("content-length")) return {};
  if (!request.body) return {};
  const contentType = request.headers.get("content-type") ?? "";
  const bytes = await readBodyBytes(request, limits.maxBodyBytes);
  if (bytes.byteLength === 0) return { body: bytes };
  if (!isJson(contentType)) throw new ValidationFailedError("Request body must be application/json");
  checkJsonShape(decodeUtf8(bytes), limits);
  return { body: bytes };
}
