import { type Logger, newRequestId } from "@ecom/observability";
import { jsonError } from "./json-error.ts";

type Handler = (request: Request, server: Bun.Server<undefined>) => Promise<Response>;

/**
 * Listens, and on SIGTERM/SIGINT stops accepting, waits for in-flight requests (cut off after the
 * timeout), then exits 0. A taken port is one readable line, not a stack.
 */
export function serveGateway(options: {
  fetch: Handler;
  port: number;
  hostname: string;
  logger: Logger;
  shutdownTimeoutMs: number;
  /** Above the upstream deadline, so a client waiting on a slow service gets its 504. */
  idleTimeoutSeconds: number;
}): void {
  let server: Bun.Server<undefined>;
  try {
    server = Bun.serve({
      port: options.port,
      hostname: options.hostname,
      fetch: options.fetch,
      idleTimeout: options.idleTimeoutSeconds,
      // Never Bun's development error page (it shows paths and source), whatever NODE_ENV says.
      development: false,
      // The guard reads at most its own limit; Bun's cut-off, which answers with an empty body, stays far above.
      maxRequestBodySize: 64 * 1024 * 1024,
      error: () => jsonError(500, "INTERNAL_ERROR", "Something went wrong", newRequestId()),
    });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      process.stderr.write(
        `Port ${options.port} is already in use; stop what uses it or set PORT to another port.\n`,
      );
      process.exit(1);
    }
    throw error;
  }
  options.logger.info("listening", { "server.port": server.port });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info("shutting down", { signal });
    setTimeout(() => {
      options.logger.error("shutdown timed out; exiting", { timeoutMs: options.shutdownTimeoutMs });
      process.exit(1);
    }, options.shutdownTimeoutMs).unref();
    await server.stop();
    options.logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
