import type { Clock } from "@ecom/service-kit";
import type { Kysely } from "kysely";
import { createRefreshTokenRepository } from "../repository/refresh-token-repository.ts";
import { type UserTables, usersDb } from "../repository/tables.ts";
import { createUserRepository, type UserRecord } from "../repository/user-repository.ts";
import type { TokenPair } from "../schemas/auth.ts";
import type { AccessTokenIssuer } from "../tokens/access-token-issuer.ts";
import { hashRefreshToken, newRefreshToken } from "../tokens/refresh-token.ts";
import { toUserView } from "../views/user-view.ts";

export type RotateResult =
  | { outcome: "rotated"; tokens: TokenPair }
  | { outcome: "invalid" }
  /** A spent token came back: someone holds a copy, so the whole family was revoked. */
  | { outcome: "reused"; userId: string; familyId: string };

/**
 * A session is one family of rotating refresh tokens plus the short-lived access tokens issued with
 * them. Each refresh spends its token and hands out the next one of the same family.
 */
export function createSessions(deps: {
  db: Kysely<UserTables>;
  clock: Clock;
  accessTokens: AccessTokenIssuer;
  refreshTtlSeconds: number;
}) {
  const { clock, accessTokens } = deps;

  async function issue(
    db: Kysely<UserTables>,
    user: UserRecord,
    familyId: string = crypto.randomUUID(),
  ): Promise<{ tokens: TokenPair; tokenId: string }> {
    const now = clock.now();
    const refreshToken = newRefreshToken();
    const tokenId = await createRefreshTokenRepository(db).insert({
      familyId,
      userId: user.id,
      tokenHash: hashRefreshToken(refreshToken),
      now,
      expiresAt: new Date(now.getTime() + deps.refreshTtlSeconds * 1000),
    });
    const accessToken = await accessTokens.sign({ sub: user.id, role: user.role });
    return {
      tokenId,
      tokens: {
        user: toUserView(user),
        accessToken,
        refreshToken,
        tokenType: "Bearer",
        expiresIn: accessTokens.ttlSeconds,
      },
    };
  }

  return {
    /** Starts a new session; pass the transaction that created the user so both commit together. */
    async start(user: UserRecord, db: Kysely<UserTables> = deps.db): Promise<TokenPair> {
      return (await issue(db, user)).tokens;
    },

    async rotate(refreshToken: string): Promise<RotateResult> {
      const now = clock.now();
      return usersDb.inTransaction(deps.db, async (trx): Promise<RotateResult> => {
        const tokens = createRefreshTokenRepository(trx);
        const row = await tokens.lockByHash(hashRefreshToken(refreshToken));
        if (!row || row.revoked_at) return { outcome: "invalid" };
        if (row.used_at) {
          await tokens.revokeFamily(row.family_id, now);
          return { outcome: "reused", userId: row.user_id, familyId: row.family_id };
        }
        if (new Date(row.expires_at) <= now) return { outcome: "invalid" };
        // The role and active flag are read again, so a demoted or disabled user stops getting tokens.
        const user = await createUserRepository(trx).findById(row.user_id);
        if (!user?.isActive) {
          await tokens.revokeFamily(row.family_id, now);
          return { outcome: "invalid" };
        }
        const next = await issue(trx, user, row.family_id);
        await tokens.markUsed(row.id, next.tokenId, now);
        return { outcome: "rotated", tokens: next.tokens };
      });
    },

    /** Ends the session the token belongs to; unknown tokens are ignored so logout is idempotent. */
    async end(refreshToken: string): Promise<void> {
      const tokens = createRefreshTokenRepository(deps.db);
      const row = await tokens.findByHash(hashRefreshToken(refreshToken));
      if (row) await tokens.revokeFamily(row.family_id, clock.now());
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
