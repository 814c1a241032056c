import { DependencyUnavailableError, withErrorTranslation } from "@ecom/errors";
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

/** How a service's PostgreSQL failures reach its callers: an unreachable database is a 503 naming it. */
export type PgErrors = {
  /** An unreachable database becomes the contract's 503 naming it; any other error keeps its meaning. */
  translate(error: unknown): unknown;
  /** Wraps every method of a repository so its failures are translated in one place. */
  withErrors<T extends Parameters<typeof withErrorTranslation>[0]>(repository: T): T;
  /** A transaction whose start (taking a connection) fails is translated too. */
  inTransaction<DB, R>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<R>): Promise<R>;
};

/** The one PostgreSQL error translation, for the database named `database` (e.g. "users database"). */
export function pgErrors(database: string): PgErrors {
  const translate = (error: unknown): unknown =>
    isUnreachable(error) ? new DependencyUnavailableError(database) : error;
  return {
    translate,
    withErrors: (repository) => withErrorTranslation(repository, translate),
    inTransaction: (db, work) =>
      db
        .transaction()
        .execute(work)
        .catch((error: unknown) => {
          throw translate(error);
        }),
  };
}
