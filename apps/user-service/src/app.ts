import { authPlugin, createTokenVerifier, localKeySet } from "@ecom/auth";
import type { Database } from "@ecom/db";
import type { Logger, ServiceMetrics } from "@ecom/observability";
import { clientAddressResolver, type RequestLimits } from "@ecom/request-guard";
import type { Clock } from "@ecom/service-kit";
import { createServiceApp } from "@ecom/service-kit";
import { trpcRoute } from "@ecom/trpc-kit";
import { createAuthMetrics } from "./auth-metrics.ts";
import type { UserServiceConfig } from "./config.ts";
import type { SigningKey } from "./keys/signing-key.ts";
import type { UserTables } from "./repository/tables.ts";
import { adminRoutes } from "./routes/admin-routes.ts";
import { authRoutes } from "./routes/auth-routes.ts";
import { jwksRoute } from "./routes/jwks-route.ts";
import { meRoutes } from "./routes/me-routes.ts";
import { userByIdRoute } from "./routes/user-by-id-route.ts";
import { createLoginRateLimiter } from "./security/login-rate-limiter.ts";
import type { PasswordHasher } from "./security/passwords.ts";
import { createSessions } from "./sessions/sessions.ts";
import { createAccessTokenIssuer } from "./tokens/access-token-issuer.ts";
import { createUserRouter } from "./trpc/router.ts";

export type AppDeps = {
  /** Request limits enforced before routing; the defaults when absent (tests). */
  limits?: RequestLimits;
  database: Pick<Database<UserTables>, "db" | "ping">;
  clock: Clock;
  signingKey: SigningKey;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Shared with the start-up admin bootstrap, so one limit covers every argon2id run in the process. */
  passwords: PasswordHasher;
  config: Pick<
    UserServiceConfig,
    | "JWT_ISSUER"
    | "ACCESS_TOKEN_TTL_SECONDS"
    | "REFRESH_TOKEN_TTL_SECONDS"
    | "LOGIN_RATE_LIMIT_MAX"
    | "LOGIN_RATE_LIMIT_ADDRESS_MAX"
    | "LOGIN_RATE_LIMIT_WINDOW_SECONDS"
    | "INTERNAL_SERVICE_TOKEN"
    | "TRUSTED_PROXIES"
  >;
};

/** Builds the whole HTTP app from its dependencies; nothing here reads the environment or global state. */
export function createApp(deps: AppDeps) {
  const { config, clock } = deps;
  const db = deps.database.db;
  // The service checks its own tokens exactly as the other services do: public JWKS, EdDSA only.
  const verifier = createTokenVerifier({
    keySet: localKeySet({ keys: [deps.signingKey.publicJwk] }),
    issuer: config.JWT_ISSUER,
  });
  const accessTokens = createAccessTokenIssuer({
    key: deps.signingKey,
    issuer: config.JWT_ISSUER,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    clock,
  });
  const sessions = createSessions({
    db,
    clock,
    accessTokens,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  });
  const loginLimiter = createLoginRateLimiter({
    db,
    limits: {
      perAccount: config.LOGIN_RATE_LIMIT_MAX,
      perAddress: config.LOGIN_RATE_LIMIT_ADDRESS_MAX,
      windowSeconds: config.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
    },
    clock,
  });

  return createServiceApp({
    ...(deps.limits ? { limits: deps.limits } : {}),
    name: "user-service",
    title: "User service",
    version: "1.0.0",
    description: "Accounts, login and tokens. Access tokens are EdDSA JWTs; verify them with the JWKS.",
    logger: deps.logger,
    metrics: deps.metrics,
    ready: deps.database.ping,
  })
    .use(authPlugin(verifier))
    .use(
      authRoutes({
        db,
        clock,
        passwords: deps.passwords,
        sessions,
        loginLimiter,
        clientAddress: clientAddressResolver(config.TRUSTED_PROXIES),
        authMetrics: createAuthMetrics(deps.metrics),
      }),
    )
    .use(jwksRoute({ keys: [deps.signingKey] }))
    .use(meRoutes({ db, clock }))
    .use(adminRoutes({ db }))
    .use(userByIdRoute({ db }))
    .use(trpcRoute(createUserRouter({ db }), { serviceToken: config.INTERNAL_SERVICE_TOKEN }));
}

export type UserServiceApp = ReturnType<typeof createApp>;
