import { AppError } from "@ecom/errors";
import { isValidRequestId, type Logger, newRequestId, requestPath } from "@ecom/observability";
import {
  inspectRequest,
  type Peer,
  type PeerSource,
  type RequestLimits,
  socketPeer,
  type TrustedProxies,
} from "@ecom/request-guard";
import { docsPage, specPath } from "./docs-page.ts";
import { jsonError } from "./json-error.ts";
import { proxy } from "./proxy.ts";
import { matchUpstream, type UpstreamUrls, upstreamTable } from "./routes.ts";

export type GatewayDeps = {
  upstreams: UpstreamUrls;
  upstreamTimeoutMs: number;
  limits: RequestLimits;
  /** Proxies in front of the gateway whose X-Forwarded-For is extended rather than replaced. */
  trustedProxies: TrustedProxies;
  logger: Logger;
};

/**
 * The local gateway: routing and headers only. `/api/<users|products|orders>` go to their service,
 * `/docs` lists the whole API, `/health/live` answers for the gateway itself; everything else
 * (internal `/trpc`, `/metrics`) is a 404, as in the cluster's ingress.
 */
export function createGateway(deps: GatewayDeps) {
  const table = upstreamTable(deps.upstreams);

  const route = async (request: Request, requestId: string, peer: Peer) => {
    // The same guard as every service, so hostile requests stop at the edge.
    let body: Uint8Array | undefined;
    try {
      ({ body } = await inspectRequest(request, deps.limits));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return jsonError(error.status, error.errorCode, error.message, requestId, error.details);
    }
    const { pathname } = new URL(request.url);
    const upstream = matchUpstream(table, pathname);
    const log = deps.logger.child({ "trace.id": requestId });
    if (upstream) {
      return proxy(request, upstream, { requestId, peer, timeoutMs: deps.upstreamTimeoutMs, log, body });
    }
    if (request.method === "GET" && pathname === "/health/live") {
      return Response.json({ status: "ok" }, { headers: { "x-request-id": requestId } });
    }
    if (request.method === "GET" && (pathname === "/docs" || pathname === "/docs/")) {
      return new Response(await docsPage(table, deps.upstreamTimeoutMs), {
        headers: { "content-type": "text/html; charset=utf-8", "x-request-id": requestId },
      });
    }
    const spec = table.find((u) => specPath(u) === pathname);
    if (request.method === "GET" && spec) {
      const specRequest = new Request(new URL("/openapi.json", request.url), { headers: request.headers });
      return proxy(specRequest, spec, { requestId, peer, timeoutMs: deps.upstreamTimeoutMs, log });
    }
    return jsonError(404, "NOT_FOUND", "No such route", requestId);
  };

  return async function fetch(request: Request, server: PeerSource): Promise<Response> {
    const started = performance.now();
    const incoming = request.headers.get("x-request-id");
    const requestId = isValidRequestId(incoming) ? incoming : newRequestId();
    const peer = socketPeer(server.requestIP(request)?.address, deps.trustedProxies);
    const response = await route(request, requestId, peer);
    const pathname = requestPath(request.url);
    if (pathname !== "/health/live") {
      deps.logger.info(`${request.method} ${pathname} ${response.status}`, {
        "trace.id": requestId,
        "http.request.method": request.method,
        "http.response.status_code": response.status,
        "url.path": pathname,
        "event.duration": Math.round((performance.now() - started) * 1e6),
      });
    }
    return response;
  };
}
