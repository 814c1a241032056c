import { ValidationFailedError } from "@ecom/errors";
import type { RequestLimits } from "./limits.ts";
import { isValidText } from "./valid-text.ts";

/** Percent-decodes strictly: malformed escapes and bytes that are not UTF-8 are refused, not replaced. */
function decodes(component: string): boolean {
  try {
    return isValidText(decodeURIComponent(component.replaceAll("+", " ")));
  } catch {
    return false;
  }
}

/**
 * The path and query string as text the services accept: every part decodes to valid text, and
 * the query has at most the configured number of parameters. Read from the URL string, because
 * `new URL()` throws on hosts that a client may put in its Host header.
 */
export function checkUrlText(url: string, limits: Pick<RequestLimits, "maxQueryParams">) {
  const afterScheme = url.indexOf("://");
  const pathStart = url.indexOf("/", afterScheme === -1 ? 0 : afterScheme + 3);
  const target = pathStart === -1 ? "/" : url.slice(pathStart);
  const queryStart = target.indexOf("?");
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  if (!decodes(path)) throw new ValidationFailedError("The path holds invalid characters");
  if (queryStart === -1) return;
  const params = target
    .slice(queryStart + 1)
    .split("&")
    .filter((part) => part !== "");
  if (params.length > limits.maxQueryParams) {
    throw new ValidationFailedError(`The query string has more than ${limits.maxQueryParams} parameters`);
  }
  for (const param of params) {
    const eq = param.indexOf("=");
    const name = eq === -1 ? param : param.slice(0, eq);
    if (!decodes(name) || (eq !== -1 && !decodes(param.slice(eq + 1)))) {
      throw new ValidationFailedError("A query parameter holds invalid characters");
    }
  }
}
