import type { Elysia } from "elysia";

type Logger = {
  info(m: string, f?: Record<string, unknown>): void;
  error(m: string, f?: Record<string, unknown>): void;
};

type ServeOptions = {
  // biome-ignore lint/suspicious/noExplicitAny: any Elysia app, whatever its routes
  app: Elysia<any, any, any, any, any, any, any>;
  port: number;
  hostname: string;
  logger: Logger;
  /** Closes pools and timers after the last in-flight request has finished. */
  close: () => Promise<void>;
  shutdownTimeoutMs: number;
  /** Tells the user which variable moves the service when its port is taken. */
  portVariable?: string;
};

/**
 * Listens, and on SIGTERM/SIGINT stops accepting, lets in-flight requests finish (`app.stop()`),
 * then closes the service's resources and exits 0. A stuck drain is cut off after the timeout.
 */
export function serve(options: ServeOptions): void {
  const { app, logger } = options;
  try {
    app.listen({ port: options.port, hostname: options.hostname });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      process.stderr.write(
        `Port ${options.port} is already in use; stop what uses it or set ${options.portVariable ?? "PORT"} to another port.\n`,
      );
      process.exit(1);
    }
    throw error;
  }
  logger.info("listening", { "server.port": options.port });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    const deadline = setTimeout(() => {
      logger.error("shutdown timed out; exiting", { timeoutMs: options.shutdownTimeoutMs });
      process.exit(1);
    }, options.shutdownTimeoutMs);
    try {
      await app.stop();
      await options.close();
      clearTimeout(deadline);
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error("shutdown failed", { "error.message": (error as Error).message });
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
