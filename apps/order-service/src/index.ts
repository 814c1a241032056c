import { createTokenVerifier, remoteKeySet } from "@ecom/auth";
import { loadConfigOrExit } from "@ecom/config";
import { createDatabase, migrateToLatest } from "@ecom/db";
import { serve } from "@ecom/lifecycle";
import { createLogger } from "@ecom/observability";
import { requestLimitsFromEnv } from "@ecom/request-guard";
import { createApp, createSagaDeps } from "./app.ts";
import { createActiveUserCache } from "./clients/active-user-cache.ts";
import { createCatalogCache } from "./clients/catalog-cache.ts";
import { createOrderClients } from "./clients/service-clients.ts";
import { configSchema } from "./config.ts";
import { crashAfterReserveHook } from "./fault-injection.ts";
import { createOrderServiceMetrics } from "./metrics/service-metrics.ts";
import { migrations } from "./migrations/index.ts";
import type { OrdersDatabase } from "./repository/tables.ts";
import { recoverSagas } from "./saga/recover-sagas.ts";
import { startRecoveryLoop } from "./saga/recovery-loop.ts";

const config = loadConfigOrExit(configSchema);
const logger = createLogger({ service: "order-service", level: config.LOG_LEVEL });
const metrics = createOrderServiceMetrics();
const database = createDatabase<OrdersDatabase>({
  ...(config.DATABASE_URL ? { url: config.DATABASE_URL } : {}),
  dataDir: config.DATA_DIR,
  poolSize: config.DATABASE_POOL_SIZE,
  onPoolError: (error) => logger.warn("database connection lost", { "error.message": error.message }),
});
if (database.kind === "pglite") logger.info("using the embedded database", { "db.dir": config.DATA_DIR });
await migrateToLatest(database.db as never, migrations);

const clock = () => new Date();
const clients = createOrderClients({
  userServiceUrl: config.USER_SERVICE_URL,
  productServiceUrl: config.PRODUCT_SERVICE_URL,
  serviceToken: config.INTERNAL_SERVICE_TOKEN,
  timeoutMs: config.DEPENDENCY_TIMEOUT_MS,
  retries: config.DEPENDENCY_RETRIES,
  onCall: metrics.orders.dependencyCall,
});
const activeUsers = createActiveUserCache({
  ttlMs: config.USER_CACHE_TTL_MS,
  maxEntries: 10_000,
  now: () => Date.now(),
});
const catalog = createCatalogCache({
  ttlMs: config.CATALOG_CACHE_TTL_MS,
  maxEntries: 10_000,
  now: () => Date.now(),
});
const deps = { db: database, clock, clients, activeUsers, catalog, metrics };

const app = createApp({
  limits: requestLimitsFromEnv(config),
  ...deps,
  verifier: createTokenVerifier({ keySet: remoteKeySet(config.JWKS_URL), issuer: config.JWT_ISSUER }),
  logger,
  config: {
    idempotencyWaitMs: config.IDEMPOTENCY_WAIT_MS,
    ...crashAfterReserveHook(config.CRASH_AFTER_RESERVE === "1"),
  },
});

const sagaDeps = createSagaDeps(deps);
const recovery = startRecoveryLoop({
  intervalMs: config.RECOVERY_INTERVAL_MS,
  log: logger,
  pass: () =>
    recoverSagas(
      sagaDeps,
      {
        graceMs: config.RECOVERY_GRACE_MS,
        leaseMs: config.RECOVERY_LEASE_MS,
        idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS,
      },
      { requestId: `recovery-${crypto.randomUUID()}`, log: logger },
    ),
});

serve({
  app,
  port: config.PORT,
  hostname: config.HOST,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  close: async () => {
    await recovery.stop();
    await database.close();
  },
});
