import { loadConfig } from "@ecom/config";
import type { Listening } from "@ecom/lifecycle";
import { createLogger } from "@ecom/observability";
import { configSchema } from "../src/config.ts";
import { createGatewayService } from "../src/service.ts";

export type SeenRequest = { method: string; url: string; headers: Headers; body: string };

/** A real HTTP server standing in for a service; it records what reached it. */
export function startUpstream(handler?: (request: Request) => Response | Promise<Response>) {
  const seen: SeenRequest[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const body = await request.text();
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      return handler ? handler(request) : Response.json({ ok: true, path: new URL(request.url).pathname });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, seen, stop: () => server.stop(true) };
}

/**
 * The gateway's own composition root on a real socket (a free loopback port), so client addresses
 * and streaming behave as in production; the log is captured.
 */
export function startGateway(
  upstreams: { users: string; products: string; orders: string },
  timeoutMs = 2000,
  proxies: string[] = [],
) {
  const config = loadConfig(configSchema, {
    HOST: "127.0.0.1",
    USER_SERVICE_URL: upstreams.users,
    PRODUCT_SERVICE_URL: upstreams.products,
    ORDER_SERVICE_URL: upstreams.orders,
    GATEWAY_UPSTREAM_TIMEOUT_MS: String(timeoutMs),
    TRUSTED_PROXIES: proxies.join(","),
  });
  const logLines: string[] = [];
  const logger = createLogger({ service: "gateway", sink: (line) => logLines.push(line) });
  // Port 0, which the schema refuses from the environment: a free port, so suites can run side by side.
  const service = createGatewayService({ ...config, PORT: 0 }, { logger });
  const started = service.start();
  // Bun.serve binds synchronously, so start() has settled already: reading it at once keeps
  // startGateway synchronous for the suites that call it at module level.
  const listening = Bun.peek(started);
  if (Bun.peek.status(started) !== "fulfilled")
    throw new Error("the gateway did not start", { cause: listening });
  const { url } = listening as Listening;
  return { url, logLines, stop: () => service.stop() };
}

/** A loopback port with nothing listening: connecting to it is refused. */
export function closedPortUrl(): string {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const url = `http://127.0.0.1:${probe.port}`;
  probe.stop(true);
  return url;
}
