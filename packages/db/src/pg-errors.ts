import { DependencyUnavailableError } from "@ecom/errors";
import type { Kysely, Transaction } from "kysely";

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

export function isUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === "string" && (unreachableCodes.has(code) || unreachableSqlState.test(code))) ||
    (typeof message === "string" && unreachableMessage.test(message))
  );
}

/** An unreachable database becomes the contract's 503 naming it; any other error keeps its meaning. */
export const pgErrorTranslator =
  (database: string) =>
  (error: unknown): unknown =>
    isUnreachable(error) ? new DependencyUnavailableError(database) : error;

/** A transaction whose start (taking a connection) fails is translated too. */
export function inTransaction<DB, R>(
  db: Kysely<DB>,
  translate: (error: unknown) => unknown,
  work: (trx: Transaction<DB>) => Promise<R>,
): Promise<R> {
  return db
    .transaction()
    .execute(work)
    .catch((error: unknown) => {
      throw translate(error);
    });
}
