import { createTokenVerifier, remoteKeySet } from "@ecom/auth";
import { createDatabase, type Database, migrateToLatest } from "@ecom/db";
import { elysiaServiceRoot, type ServiceRoot, StartupFailure } from "@ecom/lifecycle";
import { createLogger, type Logger } from "@ecom/observability";
import { requestLimitsFromEnv } from "@ecom/request-guard";
import { type Clock, systemClock } from "@ecom/service-kit";
import { createApp, type OrderServiceApp } from "./app.ts";
import { createActiveUserCache } from "./clients/active-user-cache.ts";
import { createCatalogCache } from "./clients/catalog-cache.ts";
import { createOrderClients } from "./clients/service-clients.ts";
import type { OrderServiceConfig } from "./config.ts";
import { crashAfterReserveHook } from "./fault-injection.ts";
import { createOrderServiceMetrics } from "./metrics/service-metrics.ts";
import { migrations } from "./migrations/index.ts";
import { createIdempotencyRepository } from "./repository/idempotency-repository.ts";
import { createOrdersRepository } from "./repository/orders-repository.ts";
import type { OrdersDatabase } from "./repository/tables.ts";
import { recoverSagas } from "./saga/recover-sagas.ts";
import { startRecoveryLoop } from "./saga/recovery-loop.ts";
import type { SagaDeps } from "./saga/saga-deps.ts";

/** What a test (or a benchmark) may hand in instead of what the configuration would build. */
export type OrderServiceOverrides = Partial<{
  logger: Logger;
  clock: Clock;
  database: Database<OrdersDatabase>;
  /** How often a repeated request looks again for the order of the first one with its key. */
  idempotencyPollMs: number;
}>;

/**
 * The order service: its root plus the saga's collaborators, the very ones its routes and its
 * recovery loop share, so a test can read what the saga wrote and run a recovery pass by hand.
 */
export type OrderService = ServiceRoot<OrderServiceApp> & { saga: SagaDeps };

/** How many users, and how many products, the caches keep at most: their memory stays bounded. */
const CACHE_MAX_ENTRIES = 10_000;

/**
 * The order service's composition root: every dependency built from the configuration (or taken
 * from `overrides`), the schema migrated, one set of saga collaborators for the routes and the
 * recovery loop, which runs once the service listens. `index.ts` runs what this returns; tests build
 * the very same thing.
 */
export async function createOrderService(
  config: OrderServiceConfig,
  overrides: OrderServiceOverrides = {},
): Promise<OrderService> {
  const logger = overrides.logger ?? createLogger({ service: "order-service", level: config.LOG_LEVEL });
  const clock = overrides.clock ?? systemClock;
  const metrics = createOrderServiceMetrics();
  const database =
    overrides.database ??
    createDatabase<OrdersDatabase>({
      ...(config.DATABASE_URL ? { url: config.DATABASE_URL } : {}),
      dataDir: config.DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
      onPoolError: (error) => logger.warn("database connection lost", { "error.message": error.message }),
    });
  if (database.kind === "pglite") logger.info("using the embedded database", { "db.dir": config.DATA_DIR });

  try {
    await migrateToLatest(database.db as never, migrations);
  } catch (error) {
    await database.close().catch(() => {});
    // One clear line instead of a stack; the orchestrator restarts the process until the database is there.
    logger.error("start-up failed: could not migrate the orders database", {
      "error.message": (error as Error).message,
    });
    throw new StartupFailure("could not migrate the orders database", { cause: error });
  }

  // The caches run on the service's clock too, so a test that moves time moves their expiry with it.
  const saga: SagaDeps = {
    orders: createOrdersRepository(database.db, clock),
    idempotency: createIdempotencyRepository(database.db),
    clients: createOrderClients({
      userServiceUrl: config.USER_SERVICE_URL,
      productServiceUrl: config.PRODUCT_SERVICE_URL,
      serviceToken: config.INTERNAL_SERVICE_TOKEN,
      timeoutMs: config.DEPENDENCY_TIMEOUT_MS,
      retries: config.DEPENDENCY_RETRIES,
      onCall: metrics.orders.dependencyCall,
    }),
    activeUsers: createActiveUserCache({
      ttlMs: config.USER_CACHE_TTL_MS,
      maxEntries: CACHE_MAX_ENTRIES,
      clock,
    }),
    catalog: createCatalogCache({
      ttlMs: config.CATALOG_CACHE_TTL_MS,
      maxEntries: CACHE_MAX_ENTRIES,
      clock,
    }),
    metrics: metrics.orders,
    clock,
  };

  const app = createApp({
    limits: requestLimitsFromEnv(config),
    database,
    saga,
    placing: {
      idempotencyWaitMs: config.IDEMPOTENCY_WAIT_MS,
      ...(overrides.idempotencyPollMs === undefined
        ? {}
        : { idempotencyPollMs: overrides.idempotencyPollMs }),
      ...crashAfterReserveHook(config.CRASH_AFTER_RESERVE === "1"),
    },
    verifier: createTokenVerifier({ keySet: remoteKeySet(config.JWKS_URL), issuer: config.JWT_ISSUER }),
    logger,
    metrics,
  });

  const recovery = {
    graceMs: config.RECOVERY_GRACE_MS,
    leaseMs: config.RECOVERY_LEASE_MS,
    idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS,
  };
  const root = elysiaServiceRoot({
    app,
    logger,
    hostname: config.HOST,
    port: config.PORT,
    background: () =>
      startRecoveryLoop({
        intervalMs: config.RECOVERY_INTERVAL_MS,
        log: logger,
        pass: () =>
          recoverSagas(saga, recovery, { requestId: `recovery-${crypto.randomUUID()}`, log: logger }),
      }),
    close: database.close,
  });
  return { ...root, saga };
}
