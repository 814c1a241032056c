import { createLogger } from "@ecom/observability";
import { defaultRequestLimits, trustedProxies } from "@ecom/request-guard";
import { createGateway } from "../src/app.ts";

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

/** The gateway on a real socket, so client addresses and streaming behave as in production. */
export function startGateway(
  upstreams: { users: string; products: string; orders: string },
  timeoutMs = 2000,
  proxies: string[] = [],
) {
  const logLines: string[] = [];
  const logger = createLogger({ service: "gateway", sink: (line) => logLines.push(line) });
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: createGateway({
      upstreams,
      upstreamTimeoutMs: timeoutMs,
      limits: defaultRequestLimits,
      trustedProxies: trustedProxies(proxies),
      logger,
    }),
  });
  return { url: `http://127.0.0.1:${server.port}`, logLines, stop: () => server.stop(true) };
}

/** A loopback port with nothing listening: connecting to it is refused. */
export function closedPortUrl(): string {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const url = `http://127.0.0.1:${probe.port}`;
  probe.stop(true);
  return url;
}
