import { errorBodySchema, RateLimitedError, UnauthorizedError } from "@ecom/errors";
import type { PeerSource } from "@ecom/request-guard";
import type { Clock } from "@ecom/service-kit";
import { noContent, routeGroup } from "@ecom/service-kit";
import type { Kysely } from "kysely";
import type { AuthMetrics } from "../auth-metrics.ts";
import { type UserTables, usersDb } from "../repository/tables.ts";
import { createUserRepository } from "../repository/user-repository.ts";
import {
  loginBodySchema,
  refreshTokenBodySchema,
  registerBodySchema,
  tokenPairSchema,
} from "../schemas/auth.ts";
import type { LoginRateLimiter } from "../security/login-rate-limiter.ts";
import type { PasswordHasher } from "../security/passwords.ts";
import type { Sessions } from "../sessions/sessions.ts";

export type AuthRouteDeps = {
  db: Kysely<UserTables>;
  clock: Clock;
  passwords: PasswordHasher;
  sessions: Sessions;
  loginLimiter: LoginRateLimiter;
  /** The caller's address, believing forwarding headers only from the configured proxies. */
  clientAddress: (request: Request, server: PeerSource | null) => string | undefined;
  authMetrics: AuthMetrics;
};

/** One message for an unknown email and a wrong password, so login never reveals which emails exist. */
const invalidCredentials = () =>
  new UnauthorizedError("Email or password is incorrect", "INVALID_CREDENTIALS");

/** Register, login, refresh and logout: everything that hands out or ends a session. */
export function authRoutes(deps: AuthRouteDeps) {
  const users = createUserRepository(deps.db);
  const { logins, refreshes } = deps.authMetrics;

  return routeGroup("/api/users")
    .post(
      "/register",
      async ({ body, set }) => {
        const passwordHash = await deps.passwords.hash(body.password);
        // User and first refresh token commit together: a failed sign-up leaves nothing behind.
        const tokens = await usersDb.inTransaction(deps.db, async (trx) => {
          const user = await createUserRepository(trx).insert({
            email: body.email,
            passwordHash,
            firstName: body.firstName,
            lastName: body.lastName,
            phone: body.phone ?? null,
            role: "customer",
            now: deps.clock.now(),
          });
          return deps.sessions.start(user, trx);
        });
        set.status = 201;
        return tokens;
      },
      {
        body: registerBodySchema,
        response: {
          201: tokenPairSchema,
          400: errorBodySchema,
          409: errorBodySchema,
          503: errorBodySchema,
        },
        detail: {
          summary: "Create a customer account",
          description:
            "Always creates a `customer`. The email is unique case-insensitively (409 `EMAIL_TAKEN`); " +
            "the password needs at least 8 characters. Returns the first token pair. " +
            "503 `DEPENDENCY_UNAVAILABLE` with `Retry-After` when too many password hashes are waiting.",
          tags: ["Auth"],
        },
      },
    )
    .post(
      "/login",
      async ({ body, request, server }) => {
        const who = { email: body.email, address: deps.clientAddress(request, server) };
        const retryAfter = await deps.loginLimiter.attempt(who);
        if (retryAfter !== undefined) {
          logins.inc({ outcome: "rate_limited" });
          throw new RateLimitedError(retryAfter);
        }
        const user = await users.findByEmail(body.email);
        const passwordOk = user
          ? await deps.passwords.verify(body.password, user.passwordHash)
          : await deps.passwords.verifyNothing(body.password);
        if (!user || !passwordOk || !user.isActive) {
          logins.inc({ outcome: "invalid_credentials" });
          throw invalidCredentials();
        }
        await deps.loginLimiter.succeeded(who);
        logins.inc({ outcome: "success" });
        return deps.sessions.start(user);
      },
      {
        body: loginBodySchema,
        response: {
          200: tokenPairSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          429: errorBodySchema,
          503: errorBodySchema,
        },
        detail: {
          summary: "Log in with email and password",
          description:
            "A wrong email and a wrong password give the same 401 `INVALID_CREDENTIALS`. " +
            "Too many attempts for one email from one address, or too many failed attempts from one address, " +
            "give 429 `RATE_LIMITED` with `Retry-After`. " +
            "When too many logins are already waiting for password checks: 503 `DEPENDENCY_UNAVAILABLE` with `Retry-After`.",
          tags: ["Auth"],
        },
      },
    )
    .post(
      "/refresh",
      async ({ body, log }) => {
        const result = await deps.sessions.rotate(body.refreshToken);
        refreshes.inc({ outcome: result.outcome });
        if (result.outcome === "reused") {
          log.warn("spent refresh token presented again; session revoked", {
            "user.id": result.userId,
            "session.family_id": result.familyId,
          });
        }
        if (result.outcome !== "rotated") {
          throw new UnauthorizedError("Refresh token is invalid, expired or already used");
        }
        return result.tokens;
      },
      {
        body: refreshTokenBodySchema,
        response: { 200: tokenPairSchema, 400: errorBodySchema, 401: errorBodySchema, 503: errorBodySchema },
        detail: {
          summary: "Exchange a refresh token for a new token pair",
          description:
            "The presented refresh token is spent. Presenting a spent token again is treated as theft: " +
            "401, and every token of that session stops working.",
          tags: ["Auth"],
        },
      },
    )
    .post(
      "/logout",
      async ({ body, set }) => {
        await deps.sessions.end(body.refreshToken);
        set.status = 204;
      },
      {
        body: refreshTokenBodySchema,
        response: { 204: noContent, 400: errorBodySchema, 503: errorBodySchema },
        detail: {
          summary: "End the session of a refresh token",
          description: "204 whether or not the token was known; afterwards it no longer refreshes.",
          tags: ["Auth"],
        },
      },
    );
}
