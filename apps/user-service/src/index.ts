import { ConfigError, loadConfigOrExit } from "@ecom/config";
import { createDatabase } from "@ecom/db";
import { serve } from "@ecom/lifecycle";
import { createLogger, createMetrics } from "@ecom/observability";
import { requestLimitsFromEnv } from "@ecom/request-guard";
import { systemClock } from "@ecom/service-kit";
import { createApp } from "./app.ts";
import { prepareDatabase } from "./bootstrap/prepare-database.ts";
import { configSchema } from "./config.ts";
import { loadSigningKey } from "./keys/load-signing-key.ts";
import type { UserTables } from "./repository/tables.ts";
import { createConcurrencyLimiter } from "./security/concurrency-limiter.ts";
import { createPasswordHasher } from "./security/passwords.ts";

const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: "user-service", level: config.LOG_LEVEL });

const signingKey = await loadSigningKey({
  privateKeyPem: config.JWT_PRIVATE_KEY,
  keyId: config.JWT_KEY_ID,
  nodeEnv: config.NODE_ENV,
  dataDir: config.DATA_DIR,
}).catch((error: unknown) => {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});

const database = createDatabase<UserTables>({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  onPoolError: (error) => logger.warn("database connection lost", { "error.message": error.message }),
});
const passwords = createPasswordHasher(
  createConcurrencyLimiter({
    limit: config.PASSWORD_HASH_CONCURRENCY,
    maxQueued: config.PASSWORD_HASH_QUEUE_MAX,
  }),
);
if (database.kind === "pglite") logger.info("using the embedded database", { "db.path": config.DATA_DIR });

await prepareDatabase(database.db, {
  admin:
    config.ADMIN_EMAIL && config.ADMIN_PASSWORD
      ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }
      : undefined,
  clock: systemClock,
  passwords,
}).catch(async (error: unknown) => {
  // One clear line instead of a stack; the orchestrator restarts the process until the database is there.
  logger.error("start-up failed: could not prepare the users database", {
    "error.message": (error as Error).message,
  });
  await database.close().catch(() => {});
  process.exit(1);
});

const app = createApp({
  limits: requestLimitsFromEnv(config),
  database,
  clock: systemClock,
  signingKey,
  logger,
  metrics: createMetrics("user-service"),
  passwords,
  config,
});

serve({
  app,
  port: config.PORT,
  hostname: config.HOST,
  logger,
  close: database.close,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
});
