import type { Logger } from "@ecom/observability";
import type { Elysia } from "elysia";

/** Where a started service listens. */
export type Listening = { port: number; url: string };

/**
 * What every service's composition root (`createXService(config, overrides?)`) returns. `app` is
 * the HTTP app built from the service's real dependencies, for in-process calls (`app.handle`);
 * `start` and `stop` are what `index.ts`, the tests, `bun run dev` and the benchmark all drive.
 */
export type ServiceRoot<App> = {
  app: App;
  /** What the service logs with; the process logs its start and stop with it too. */
  logger: Logger;
  /** Listens on the configured host and port (0: a free one), then starts background work. */
  start(): Promise<Listening>;
  /** Lets in-flight requests finish, stops background work, closes pools; safe to call twice. */
  stop(): Promise<void>;
};

/** A stoppable piece of background work, such as a recovery loop. */
export type Background = { stop(): Promise<void> };

// biome-ignore lint/suspicious/noExplicitAny: any Elysia app, whatever its routes
type AnyElysia = Elysia<any, any, any, any, any, any, any>;

/** The root of an Elysia service: one listener, optional background work, resources to close. */
export function elysiaServiceRoot<App extends AnyElysia>(options: {
  app: App;
  logger: Logger;
  hostname: string;
  port: number;
  /** Started once the listener is up (so it never runs in a service nobody can reach). */
  background?: () => Background;
  /** Closes pools and the like after the last in-flight request and the background work. */
  close: () => Promise<void>;
}): ServiceRoot<App> {
  const { app } = options;
  let background: Background | undefined;
  let stopped: Promise<void> | undefined;
  return {
    app,
    logger: options.logger,
    async start() {
      app.listen({ port: options.port, hostname: options.hostname });
      const port = app.server?.port ?? options.port;
      background = options.background?.();
      return { port, url: `http://${urlHost(options.hostname)}:${port}` };
    },
    stop() {
      stopped ??= (async () => {
        if (app.server) await app.stop();
        await background?.stop();
        await options.close();
      })();
      return stopped;
    },
  };
}

/**
 * A plain `Bun.serve` fetch handler. It asks its server only for the caller's socket address, which
 * an in-process call does not have.
 */
export type FetchHandler = (
  request: Request,
  server: { requestIP(request: Request): { address: string } | null },
) => Promise<Response>;

/** A fetch handler as an app: `fetch` for the listener, `handle` for in-process calls, as Elysia's `app.handle`. */
export type FetchApp = { fetch: FetchHandler; handle(request: Request): Promise<Response> };

const noPeer = { requestIP: () => null };

/** The root of a service that is a plain fetch handler rather than an Elysia app (the gateway). */
export function fetchServiceRoot(options: {
  fetch: FetchHandler;
  logger: Logger;
  hostname: string;
  port: number;
  /** Bun.serve's settings for the listener beyond its address. */
  serve: Pick<
    Bun.Serve.HostnamePortServeOptions<undefined>,
    "idleTimeout" | "development" | "maxRequestBodySize" | "error"
  >;
}): ServiceRoot<FetchApp> {
  const { fetch } = options;
  let server: Bun.Server<undefined> | undefined;
  let stopped: Promise<void> | undefined;
  return {
    app: { fetch, handle: (request) => fetch(request, noPeer) },
    logger: options.logger,
    async start() {
      server = Bun.serve({ ...options.serve, hostname: options.hostname, port: options.port, fetch });
      const port = server.port ?? options.port;
      return { port, url: `http://${urlHost(options.hostname)}:${port}` };
    },
    stop() {
      // Not forced: Bun stops accepting and resolves once the in-flight requests have been answered.
      stopped ??= server?.stop() ?? Promise.resolve();
      return stopped;
    },
  };
}

/** The host to put in a URL for a listening address: a wildcard is reached on loopback. */
export function urlHost(hostname: string): string {
  if (hostname === "0.0.0.0" || hostname === "") return "127.0.0.1";
  if (hostname === "::") return "[::1]";
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}
