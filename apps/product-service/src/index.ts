import { createTokenVerifier, remoteKeySet } from "@ecom/auth";
import { loadConfigOrExit } from "@ecom/config";
import { serve } from "@ecom/lifecycle";
import { createLogger, createMetrics } from "@ecom/observability";
import { requestLimitsFromEnv } from "@ecom/request-guard";
import { systemClock } from "@ecom/service-kit";
import { createApp } from "./app.ts";
import { productServiceEnv } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { demoCatalog } from "./seed/demo-catalog.ts";
import { seedCatalog } from "./seed/seed-catalog.ts";

const env = loadConfigOrExit(productServiceEnv);
const logger = createLogger({ service: "product-service", level: env.LOG_LEVEL });
const clock = systemClock;

const db = await openDatabase({ url: env.MONGO_URL, dbName: env.MONGO_DB_NAME, clock });
await db.prepare();
if (
  (env.SEED_ON_EMPTY ?? env.NODE_ENV !== "production") &&
  (await db.products.estimatedDocumentCount()) === 0
) {
  const result = await seedCatalog(db.products, demoCatalog, clock.now());
  logger.info("seeded empty catalog with demo products", result);
}

const app = createApp({
  limits: requestLimitsFromEnv(env),
  db,
  verifier: createTokenVerifier({ keySet: remoteKeySet(env.JWKS_URL), issuer: env.JWT_ISSUER }),
  clock,
  logger,
  metrics: createMetrics("product-service"),
  config: { internalServiceToken: env.INTERNAL_SERVICE_TOKEN, reservationLeaseMs: env.RESERVATION_LEASE_MS },
});

serve({
  app,
  port: env.PORT,
  hostname: env.HOST,
  logger,
  close: () => db.close(),
  shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
});
