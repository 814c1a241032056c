import type { Logger } from "@ecom/observability";
import type { Peer } from "@ecom/request-guard";
import { upstreamHeaders, withoutHopByHop } from "./forward-headers.ts";
import { jsonError } from "./json-error.ts";
import type { Upstream } from "./routes.ts";

export type ProxyContext = {
  requestId: string;
  peer: Peer;
  timeoutMs: number;
  log: Logger;
  /** The body when the guard has already read it; otherwise the request's own body streams on. */
  body?: Uint8Array | undefined;
};

/**
 * Forwards one request and streams both bodies. The timeout covers the wait for the response
 * headers (a service that hangs); once it answers, the body streams for as long as it takes.
 */
export async function proxy(request: Request, upstream: Upstream, ctx: ProxyContext): Promise<Response> {
  const incoming = new URL(request.url);
  const target = new URL(incoming.pathname + incoming.search, upstream.baseUrl);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), ctx.timeoutMs);
  const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
  try {
    const response = await fetch(target, {
      method: request.method,
      headers: upstreamHeaders(request, ctx),
      body: hasBody ? (ctx.body ?? request.body) : undefined,
      duplex: "half",
      redirect: "manual",
      signal: AbortSignal.any([request.signal, timeout.signal]),
      // Pass compressed bodies through as they are; the client asked for the encoding, not us.
      decompress: false,
    } as RequestInit);
    const headers = withoutHopByHop(response.headers);
    headers.set("x-request-id", ctx.requestId);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  } catch (error) {
    if (timeout.signal.aborted) {
      ctx.log.warn("upstream timed out", {
        "service.target.name": upstream.service,
        timeoutMs: ctx.timeoutMs,
      });
      return jsonError(
        504,
        "DEPENDENCY_UNAVAILABLE",
        `${upstream.service} did not answer within ${ctx.timeoutMs} ms`,
        ctx.requestId,
        { service: upstream.service },
      );
    }
    ctx.log.warn("upstream unreachable", {
      "service.target.name": upstream.service,
      "error.message": (error as Error).message,
    });
    return jsonError(502, "DEPENDENCY_UNAVAILABLE", `${upstream.service} is not reachable`, ctx.requestId, {
      service: upstream.service,
    });
  } finally {
    clearTimeout(timer);
  }
}
