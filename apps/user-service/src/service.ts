import { createDatabase, type Database } from "@ecom/db";
import { elysiaServiceRoot, type ServiceRoot, StartupFailure } from "@ecom/lifecycle";
import { createLogger, createMetrics, type Logger, type ServiceMetrics } from "@ecom/observability";
import { requestLimitsFromEnv } from "@ecom/request-guard";
import { type Clock, systemClock } from "@ecom/service-kit";
import { createApp, type UserServiceApp } from "./app.ts";
import { prepareDatabase } from "./bootstrap/prepare-database.ts";
import type { UserServiceConfig } from "./config.ts";
import { loadSigningKey } from "./keys/load-signing-key.ts";
import type { SigningKey } from "./keys/signing-key.ts";
import type { UserTables } from "./repository/tables.ts";
import { createConcurrencyLimiter } from "./security/concurrency-limiter.ts";
import { createPasswordHasher, type PasswordHasher } from "./security/passwords.ts";

/** What a test (or a benchmark) may hand in instead of what the configuration would build. */
export type UserServiceOverrides = Partial<{
  logger: Logger;
  clock: Clock;
  metrics: ServiceMetrics;
  database: Database<UserTables>;
  signingKey: SigningKey;
  passwords: PasswordHasher;
}>;

/**
 * The user service's composition root: every dependency built from the configuration (or taken from
 * `overrides`), the schema migrated and the configured admin in place, the app assembled. `index.ts`
 * runs what this returns; tests build the very same thing.
 */
export async function createUserService(
  config: UserServiceConfig,
  overrides: UserServiceOverrides = {},
): Promise<ServiceRoot<UserServiceApp>> {
  const logger = overrides.logger ?? createLogger({ service: "user-service", level: config.LOG_LEVEL });
  const clock = overrides.clock ?? systemClock;
  const signingKey =
    overrides.signingKey ??
    (await loadSigningKey({
      privateKeyPem: config.JWT_PRIVATE_KEY,
      keyId: config.JWT_KEY_ID,
      nodeEnv: config.NODE_ENV,
      dataDir: config.DATA_DIR,
    }));
  const database =
    overrides.database ??
    createDatabase<UserTables>({
      url: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      onPoolError: (error) => logger.warn("database connection lost", { "error.message": error.message }),
    });
  if (database.kind === "pglite") logger.info("using the embedded database", { "db.path": config.DATA_DIR });
  // One limit covers every argon2id run in the process: the admin bootstrap's and the routes'.
  const passwords =
    overrides.passwords ??
    createPasswordHasher(
      createConcurrencyLimiter({
        limit: config.PASSWORD_HASH_CONCURRENCY,
        maxQueued: config.PASSWORD_HASH_QUEUE_MAX,
      }),
    );

  try {
    await prepareDatabase(database.db, {
      admin:
        config.ADMIN_EMAIL && config.ADMIN_PASSWORD
          ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }
          : undefined,
      clock,
      passwords,
    });
  } catch (error) {
    await database.close().catch(() => {});
    // One clear line instead of a stack; the orchestrator restarts the process until the database is there.
    logger.error("start-up failed: could not prepare the users database", {
      "error.message": (error as Error).message,
    });
    throw new StartupFailure("could not prepare the users database", { cause: error });
  }

  const app = createApp({
    limits: requestLimitsFromEnv(config),
    database,
    clock,
    signingKey,
    logger,
    metrics: overrides.metrics ?? createMetrics("user-service"),
    passwords,
    config,
  });
  return elysiaServiceRoot({ app, logger, hostname: config.HOST, port: config.PORT, close: database.close });
}
