import { pgErrorTranslator } from "@ecom/db";
import { withErrorTranslation } from "@ecom/errors";

export const translateDbError = pgErrorTranslator("orders database");

export const withDbErrors = <T extends Parameters<typeof withErrorTranslation>[0]>(repository: T): T =>
  withErrorTranslation(repository, translateDbError);
