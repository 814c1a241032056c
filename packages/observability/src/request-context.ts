import { Elysia } from "elysia";
import type { Logger } from "./logger.ts";
import type { ServiceMetrics } from "./metrics.ts";
import { isValidRequestId, newRequestId } from "./request-id.ts";
import { requestPath } from "./request-path.ts";

type RequestState = { id: string; start: number };

/**
 * Takes or makes the request id, exposes `requestId` and a request-bound `log` to handlers,
 * and writes one access-log line plus the RED metrics when the response is sent.
 */
export function requestContext(deps: { logger: Logger; metrics: ServiceMetrics }) {
  const states = new WeakMap<Request, RequestState>();
  const { httpDuration, inFlight } = deps.metrics;

  return new Elysia({ name: "request-context" })
    .onRequest(({ request, set }) => {
      const incoming = request.headers.get("x-request-id");
      const id = isValidRequestId(incoming) ? incoming : newRequestId();
      states.set(request, { id, start: performance.now() });
      set.headers["x-request-id"] = id;
      inFlight.inc({ method: request.method });
    })
    .derive({ as: "global" }, ({ request }) => {
      const id = states.get(request)?.id ?? newRequestId();
      return { requestId: id, log: deps.logger.child({ "trace.id": id }) };
    })
    .onAfterResponse({ as: "global" }, ({ request, set, route }) => {
      const state = states.get(request);
      if (!state) return;
      states.delete(request);
      const seconds = (performance.now() - state.start) / 1000;
      const status = typeof set.status === "number" ? set.status : 200;
      const pattern = route || "unmatched";
      inFlight.dec({ method: request.method });
      httpDuration.observe({ method: request.method, route: pattern, status: String(status) }, seconds);
      if (pattern === "/metrics" || pattern.startsWith("/health/")) return;
      const path = requestPath(request.url);
      deps.logger.info(`${request.method} ${path} ${status}`, {
        "trace.id": state.id,
        "http.request.method": request.method,
        "http.response.status_code": status,
        "http.route": pattern,
        "url.path": path,
        "event.duration": Math.round(seconds * 1e9),
        "user_agent.original": request.headers.get("user-agent") ?? undefined,
      });
    });
}
