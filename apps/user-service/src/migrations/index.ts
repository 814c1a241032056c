import type { Migration } from "kysely/migration";
import { createUsers } from "./0001-create-users.ts";
import { createRefreshTokens } from "./0002-create-refresh-tokens.ts";
import { createLoginAttempts } from "./0003-create-login-attempts.ts";

/** Applied in key order; never edit a released migration, add the next number instead. */
export const migrations: Record<string, Migration> = {
  "0001-create-users": createUsers,
  "0002-create-refresh-tokens": createRefreshTokens,
  "0003-create-login-attempts": createLoginAttempts,
};
