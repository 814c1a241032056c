import { addressBlock } from "@ecom/request-guard";
import type { Clock } from "@ecom/service-kit";
import { type Kysely, sql } from "kysely";
import { type UserTables, usersDb } from "../repository/tables.ts";
import { normalizeEmail } from "../repository/user-repository.ts";

/** Who is logging in, as the limiter keys it. */
export type LoginAttempt = { email: string; address: string | undefined };

export type LoginRateLimiter = {
  /**
   * Counts one attempt for the account from this address and one for the address, before the
   * password is checked (so a burst of parallel guesses cannot slip past). Returns the seconds to
   * wait when either window is used up, else undefined.
   */
  attempt(who: LoginAttempt): Promise<number | undefined>;
  /** A successful login clears the account's window and gives its attempt back to the address. */
  succeeded(who: LoginAttempt): Promise<void>;
};

export type LoginLimits = {
  /** Attempts per account+address per window (guessing one account's password). */
  perAccount: number;
  /** Failed attempts per address per window, whatever the accounts (spraying many accounts). */
  perAddress: number;
  windowSeconds: number;
};

/** Every this many attempts in a process, ended windows are deleted, so the table stays small. */
const SWEEP_EVERY = 500;
const SWEEP_BATCH = 1_000;

/**
 * Fixed windows kept in `users_db`, shared by every replica, so N replicas allow no more guesses
 * than one. A window starts with its first attempt and blocks once its count passes the limit until
 * it ends. One statement upserts both keys; keys are written in sorted order so concurrent logins
 * lock rows in the same order and never deadlock. An IPv6 client is keyed on its /64, which one
 * subscriber controls whole. Without a known address (no socket, as in `app.handle`) all such
 * attempts share one key.
 */
export function createLoginRateLimiter(options: {
  db: Kysely<UserTables>;
  limits: LoginLimits;
  clock: Clock;
}): LoginRateLimiter {
  const { db, limits, clock } = options;
  const windowMs = limits.windowSeconds * 1000;
  let sinceSweep = 0;

  const keysOf = (who: LoginAttempt) => {
    const address = who.address ?? "unknown";
    return {
      account: `acct:${normalizeEmail(who.email)}|${address}`,
      address: `addr:${who.address === undefined ? "unknown" : addressBlock(address)}`,
    };
  };

  const sweep = (now: Date) =>
    db
      .deleteFrom("login_attempts")
      .where("key", "in", (q) =>
        q.selectFrom("login_attempts").select("key").where("window_ends_at", "<=", now).limit(SWEEP_BATCH),
      )
      .execute();

  return usersDb.withErrors({
    async attempt(who) {
      const now = clock.now();
      const keys = keysOf(who);
      const windowEndsAt = new Date(now.getTime() + windowMs);
      const rows = await db
        .insertInto("login_attempts")
        .values(
          [keys.account, keys.address]
            .sort()
            .map((key) => ({ key, attempts: 1, window_ends_at: windowEndsAt })),
        )
        .onConflict((oc) =>
          oc.column("key").doUpdateSet({
            // An ended window restarts with this attempt; a running one counts it.
            attempts: sql<number>`case when login_attempts.window_ends_at <= ${now} then 1 else login_attempts.attempts + 1 end`,
            window_ends_at: sql<Date>`case when login_attempts.window_ends_at <= ${now} then excluded.window_ends_at else login_attempts.window_ends_at end`,
          }),
        )
        .returning(["key", "attempts", "window_ends_at"])
        .execute();
      if (++sinceSweep >= SWEEP_EVERY) {
        sinceSweep = 0;
        await sweep(now);
      }
      const waits = rows
        .filter((row) => row.attempts > (row.key === keys.account ? limits.perAccount : limits.perAddress))
        .map((row) =>
          Math.max(1, Math.ceil((new Date(row.window_ends_at).getTime() - now.getTime()) / 1000)),
        );
      return waits.length === 0 ? undefined : Math.max(...waits);
    },

    async succeeded(who) {
      const now = clock.now();
      const keys = keysOf(who);
      await db.deleteFrom("login_attempts").where("key", "=", keys.account).execute();
      await db
        .updateTable("login_attempts")
        .set({ attempts: sql<number>`attempts - 1` })
        .where("key", "=", keys.address)
        .where("attempts", ">", 0)
        .where("window_ends_at", ">", now)
        .execute();
    },
  });
}
