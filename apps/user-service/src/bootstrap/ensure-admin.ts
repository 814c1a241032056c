import type { Clock } from "@ecom/service-kit";
import type { Kysely } from "kysely";
import type { UserTables } from "../repository/tables.ts";
import { createUserRepository } from "../repository/user-repository.ts";
import type { PasswordHasher } from "../security/passwords.ts";

/**
 * The only way an admin comes to exist: ADMIN_EMAIL/ADMIN_PASSWORD at start-up. An existing account
 * with that email is promoted, re-activated and given that password.
 */
export async function ensureAdmin(
  db: Kysely<UserTables>,
  admin: { email: string; password: string },
  clock: Clock,
  passwords: PasswordHasher,
): Promise<void> {
  const passwordHash = await passwords.hash(admin.password);
  await createUserRepository(db).upsertAdmin({ email: admin.email, passwordHash, now: clock.now() });
}
