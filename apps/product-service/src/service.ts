import { createTokenVerifier, remoteKeySet, type TokenVerifier } from "@ecom/auth";
import { elysiaServiceRoot, type ServiceRoot, StartupFailure } from "@ecom/lifecycle";
import { createLogger, createMetrics, type Logger, type ServiceMetrics } from "@ecom/observability";
import { requestLimitsFromEnv } from "@ecom/request-guard";
import { type Clock, systemClock } from "@ecom/service-kit";
import { createApp, type ProductServiceApp } from "./app.ts";
import type { ProductServiceConfig } from "./config.ts";
import { openDatabase, type ProductsDatabase } from "./db/database.ts";
import { demoCatalog } from "./seed/demo-catalog.ts";
import { seedCatalog } from "./seed/seed-catalog.ts";

/** What a test (or a benchmark) may hand in instead of what the configuration would build. */
export type ProductServiceOverrides = Partial<{
  logger: Logger;
  clock: Clock;
  metrics: ServiceMetrics;
  database: ProductsDatabase;
  verifier: TokenVerifier;
}>;

/** Collections and indexes in place, and an empty catalog filled with the demo products if asked. */
async function prepareCatalog(
  database: ProductsDatabase,
  options: { seedOnEmpty: boolean; now: Date; logger: Logger },
) {
  await database.prepare();
  if (options.seedOnEmpty && (await database.products.estimatedDocumentCount()) === 0) {
    const result = await seedCatalog(database.products, demoCatalog, options.now);
    options.logger.info("seeded empty catalog with demo products", result);
  }
}

/**
 * The product service's composition root: every dependency built from the configuration (or taken
 * from `overrides`), the collections and indexes created, an empty catalog seeded when configured,
 * the app assembled. `index.ts` runs what this returns; tests build the very same thing.
 */
export async function createProductService(
  config: ProductServiceConfig,
  overrides: ProductServiceOverrides = {},
): Promise<ServiceRoot<ProductServiceApp>> {
  const logger = overrides.logger ?? createLogger({ service: "product-service", level: config.LOG_LEVEL });
  const clock = overrides.clock ?? systemClock;

  let database = overrides.database;
  try {
    database ??= await openDatabase({ url: config.MONGO_URL, dbName: config.MONGO_DB_NAME, clock });
    await prepareCatalog(database, {
      seedOnEmpty: config.SEED_ON_EMPTY ?? config.NODE_ENV !== "production",
      now: clock.now(),
      logger,
    });
  } catch (error) {
    await database?.close().catch(() => {});
    // One clear line instead of a stack; the orchestrator restarts the process until the database is there.
    logger.error("start-up failed: could not prepare the products database", {
      "error.message": (error as Error).message,
    });
    throw new StartupFailure("could not prepare the products database", { cause: error });
  }

  const app = createApp({
    limits: requestLimitsFromEnv(config),
    db: database,
    verifier:
      overrides.verifier ??
      createTokenVerifier({ keySet: remoteKeySet(config.JWKS_URL), issuer: config.JWT_ISSUER }),
    clock,
    logger,
    metrics: overrides.metrics ?? createMetrics("product-service"),
    config,
  });
  return elysiaServiceRoot({ app, logger, hostname: config.HOST, port: config.PORT, close: database.close });
}
