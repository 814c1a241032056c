import { DependencyUnavailableError } from "@ecom/errors";

/** Socket errors and PostgreSQL's connection-exception (08) and shutdown (57P0x) classes. */
const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
]);
const unreachableSqlState = /^(08...|57P0[1-3])$/;
// node-postgres reports a lost or never-made connection with these messages and no code.
const unreachableMessage = /Connection terminated|timeout exceeded when trying to connect|not queryable/i;

/** An unreachable orders database becomes the contract's 503; any other error keeps its meaning. */
export function translateDbError(error: unknown): unknown {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const unreachable =
    (typeof code === "string" && (unreachableCodes.has(code) || unreachableSqlState.test(code))) ||
    (typeof message === "string" && unreachableMessage.test(message));
  return unreachable ? new DependencyUnavailableError("orders database") : error;
}

// biome-ignore lint/suspicious/noExplicitAny: wraps methods of any signature
type AsyncMethods = Record<string, (...args: any[]) => Promise<unknown>>;

/** Wraps every method of a repository so its database failures are translated in one place. */
export function withDbErrors<T extends AsyncMethods>(repository: T): T {
  const wrapped: AsyncMethods = {};
  for (const [name, method] of Object.entries(repository)) {
    wrapped[name] = (...args) =>
      method(...args).catch((error: unknown) => {
        throw translateDbError(error);
      });
  }
  return wrapped as T;
}
