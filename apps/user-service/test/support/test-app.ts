import { loadConfig } from "@ecom/config";
import { createDatabase } from "@ecom/db";
import { createLogger, createMetrics } from "@ecom/observability";
import { createApp } from "../../src/app.ts";
import { prepareDatabase } from "../../src/bootstrap/prepare-database.ts";
import { configSchema } from "../../src/config.ts";
import { generateSigningKey } from "../../src/keys/signing-key.ts";
import type { UserTables } from "../../src/repository/tables.ts";
import { createConcurrencyLimiter } from "../../src/security/concurrency-limiter.ts";
import { createPasswordHasher } from "../../src/security/passwords.ts";
import { manualClock } from "./manual-clock.ts";

export const ADMIN = { email: "admin@shop.test", password: "admin-password-1" };
export const INTERNAL_TOKEN = "test-internal-service-token";

/**
 * The real app on a real PostgreSQL database, with a manual clock and a fresh signing key;
 * only the HTTP listener is left out (`app.handle`).
 */
export async function createTestApp(databaseUrl: string, env: Record<string, string> = {}) {
  const database = createDatabase<UserTables>({ url: databaseUrl, dataDir: "", poolSize: 4 });
  const clock = manualClock();
  const config = loadConfig(configSchema, { INTERNAL_SERVICE_TOKEN: INTERNAL_TOKEN, ...env });
  const limiter = createConcurrencyLimiter({
    limit: config.PASSWORD_HASH_CONCURRENCY,
    maxQueued: config.PASSWORD_HASH_QUEUE_MAX,
  });
  const passwords = createPasswordHasher(limiter);
  await prepareDatabase(database.db, { admin: ADMIN, clock, passwords });
  const signingKey = await generateSigningKey();
  const logLines: string[] = [];
  const logger = createLogger({ service: "user-service", sink: (l) => logLines.push(l) });
  const metrics = createMetrics("user-service");
  const app = createApp({ database, clock, signingKey, logger, metrics, passwords, config });
  return {
    app,
    clock,
    signingKey,
    database,
    config,
    limiter,
    passwords,
    logLines,
    close: () => database.close(),
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
