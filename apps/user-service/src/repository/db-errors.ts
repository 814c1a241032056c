import { pgErrorTranslator, inTransaction as runInTransaction } from "@ecom/db";
import { withErrorTranslation } from "@ecom/errors";
import type { Kysely, Transaction } from "kysely";

export const translateDbError = pgErrorTranslator("users database");

export const withDbErrors = <T extends Parameters<typeof withErrorTranslation>[0]>(repository: T): T =>
  withErrorTranslation(repository, translateDbError);

export const inTransaction = <DB, R>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<R>,
): Promise<R> => runInTransaction(db, translateDbError, work);
