import { pgErrors } from "@ecom/db";
import type { Generated, Insertable, Selectable } from "kysely";
import type { Role } from "../schemas/user.ts";

/** Row types of users_db, as the migrations create them. */
export type UsersTable = {
  id: Generated<string>;
  /** As the user typed it (trimmed), shown back to them. */
  email: string;
  /** Lower-cased; the unique index that makes emails unique case-insensitively. */
  email_normalized: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  role: Role;
  is_active: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
};

export type RefreshTokensTable = {
  id: Generated<string>;
  /** Every token rotated from one login shares a family; reuse of a spent one revokes the family. */
  family_id: string;
  user_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  replaced_by: string | null;
};

/** One fixed window of the login limiter: `acct:<email>|<address>` or `addr:<address block>`. */
export type LoginAttemptsTable = {
  key: string;
  /** Attempts counted in this window, the one being made included. */
  attempts: number;
  window_ends_at: Date;
};

export type UserTables = {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  login_attempts: LoginAttemptsTable;
};

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;

/** users_db failures as callers see them (unreachable → 503 naming it). */
export const usersDb = pgErrors("users database");
