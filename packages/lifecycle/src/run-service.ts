import { ConfigError } from "@ecom/config";
import type { ServiceRoot } from "./service-root.ts";
import { StartupFailure } from "./startup-failure.ts";

/** Ends a process whose service could not be built: one readable line, never a stack. */
function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else if (!(error instanceof StartupFailure)) throw error;
  process.exit(1);
}

/**
 * A service's process: builds the service with its composition root and starts it, and on
 * SIGTERM/SIGINT stops it (in-flight requests finish, background work stops, pools close) and exits
 * 0. A stuck stop is cut off after the timeout; a bad setting or a taken port is one line naming the
 * variable to change, not a stack.
 */
export async function runService<App>(
  create: () => Promise<ServiceRoot<App>>,
  options: { port: number; shutdownTimeoutMs: number; portVariable?: string },
): Promise<void> {
  const root = await create().catch(exitOnStartupError);
  const { logger } = root;
  let port: number;
  try {
    ({ port } = await root.start());
  } catch (error) {
    if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
    process.stderr.write(
      `Port ${options.port} is already in use; stop what uses it or set ${options.portVariable ?? "PORT"} to another port.\n`,
    );
    process.exit(1);
  }
  logger.info("listening", { "server.port": port });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    setTimeout(() => {
      logger.error("shutdown timed out; exiting", { timeoutMs: options.shutdownTimeoutMs });
      process.exit(1);
    }, options.shutdownTimeoutMs).unref();
    try {
      await root.stop();
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
