import { ConflictError } from "@ecom/errors";
import type { Kysely } from "kysely";
import type { Role } from "../schemas/user.ts";
import { type UserRow, type UserTables, usersDb } from "./tables.ts";

/** A stored user, with what only the service itself may see (hash, active flag). */
export type UserRecord = {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  role: Role;
  isActive: boolean;
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
};

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  phone: row.phone,
  role: row.role,
  isActive: row.is_active,
  passwordHash: row.password_hash,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "23505";
/** LIKE treats % and _ as wildcards; a filter must match them literally. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

type NewUser = {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  role: Role;
  now: Date;
};

/** Works on the pool or inside a transaction (`createUserRepository(trx)`). */
export function createUserRepository(db: Kysely<UserTables>) {
  return usersDb.withErrors({
    async findById(id: string): Promise<UserRecord | undefined> {
      const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toRecord(row);
    },

    async findByEmail(email: string): Promise<UserRecord | undefined> {
      const row = await db
        .selectFrom("users")
        .selectAll()
        .where("email_normalized", "=", normalizeEmail(email))
        .executeTakeFirst();
      return row && toRecord(row);
    },

    /** The unique index decides, so two concurrent sign-ups with one email cannot both succeed. */
    async insert(user: NewUser): Promise<UserRecord> {
      try {
        const row = await db
          .insertInto("users")
          .values({
            email: user.email.trim(),
            email_normalized: normalizeEmail(user.email),
            password_hash: user.passwordHash,
            first_name: user.firstName,
            last_name: user.lastName,
            phone: user.phone,
            role: user.role,
            created_at: user.now,
            updated_at: user.now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toRecord(row);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ConflictError("EMAIL_TAKEN", "This email is already registered");
        throw error;
      }
    },

    async updateProfile(
      id: string,
      patch: { firstName?: string; lastName?: string; phone?: string | null },
      now: Date,
    ): Promise<UserRecord | undefined> {
      const row = await db
        .updateTable("users")
        .set({
          ...(patch.firstName === undefined ? {} : { first_name: patch.firstName }),
          ...(patch.lastName === undefined ? {} : { last_name: patch.lastName }),
          ...(patch.phone === undefined ? {} : { phone: patch.phone }),
          updated_at: now,
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async list(options: {
      page: number;
      limit: number;
      emailContains?: string;
    }): Promise<{ items: UserRecord[]; total: number }> {
      let query = db.selectFrom("users");
      if (options.emailContains) {
        const pattern = `%${escapeLike(normalizeEmail(options.emailContains))}%`;
        query = query.where("email_normalized", "like", pattern);
      }
      const [rows, count] = await Promise.all([
        query
          .selectAll()
          .orderBy("created_at")
          .orderBy("id")
          .limit(options.limit)
          .offset((options.page - 1) * options.limit)
          .execute(),
        query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toRecord), total: Number(count.n) };
    },

    /** Makes the configured admin exist with that password and the admin role, whatever it was before. */
    async upsertAdmin(admin: { email: string; passwordHash: string; now: Date }): Promise<void> {
      await db
        .insertInto("users")
        .values({
          email: admin.email.trim(),
          email_normalized: normalizeEmail(admin.email),
          password_hash: admin.passwordHash,
          first_name: "Admin",
          last_name: "Admin",
          phone: null,
          role: "admin",
          created_at: admin.now,
          updated_at: admin.now,
        })
        .onConflict((oc) =>
          oc.column("email_normalized").doUpdateSet({
            password_hash: admin.passwordHash,
            role: "admin",
            is_active: true,
            updated_at: admin.now,
          }),
        )
        .execute();
    },
  });
}

export type UserRepository = ReturnType<typeof createUserRepository>;
