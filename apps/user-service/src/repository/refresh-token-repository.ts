import type { Kysely } from "kysely";
import { type RefreshTokenRow, type UserTables, usersDb } from "./tables.ts";

/** Only hashes are stored; a database leak yields no usable refresh token. */
export function createRefreshTokenRepository(db: Kysely<UserTables>) {
  return usersDb.withErrors({
    async insert(token: {
      familyId: string;
      userId: string;
      tokenHash: string;
      now: Date;
      expiresAt: Date;
    }): Promise<string> {
      const row = await db
        .insertInto("refresh_tokens")
        .values({
          family_id: token.familyId,
          user_id: token.userId,
          token_hash: token.tokenHash,
          created_at: token.now,
          expires_at: token.expiresAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Row-locks the token so two concurrent refreshes with it are serialized: the second sees it spent. */
    lockByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
      return db
        .selectFrom("refresh_tokens")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .forUpdate()
        .executeTakeFirst();
    },

    findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
      return db
        .selectFrom("refresh_tokens")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
    },

    async markUsed(id: string, replacedBy: string, now: Date): Promise<void> {
      await db
        .updateTable("refresh_tokens")
        .set({ used_at: now, replaced_by: replacedBy })
        .where("id", "=", id)
        .execute();
    },

    async revokeFamily(familyId: string, now: Date): Promise<void> {
      await db
        .updateTable("refresh_tokens")
        .set({ revoked_at: now })
        .where("family_id", "=", familyId)
        .where("revoked_at", "is", null)
        .execute();
    },
  });
}
