import { loadConfig } from "@ecom/config";
import { createDatabase } from "@ecom/db";
import { createLogger } from "@ecom/observability";
import { configSchema } from "../../src/config.ts";
import { generateSigningKey } from "../../src/keys/signing-key.ts";
import type { UserTables } from "../../src/repository/tables.ts";
import { createConcurrencyLimiter } from "../../src/security/concurrency-limiter.ts";
import { createPasswordHasher } from "../../src/security/passwords.ts";
import { createUserService } from "../../src/service.ts";
import { manualClock } from "./manual-clock.ts";

export const ADMIN = { email: "admin@shop.test", password: "admin-password-1" };
export const INTERNAL_TOKEN = "test-internal-service-token";

/**
 * The service's own composition root on a real PostgreSQL database, with a manual clock, a fresh
 * signing key and a captured log; tests call `app.handle` or `app.listen`.
 */
export async function createTestApp(databaseUrl: string, env: Record<string, string> = {}) {
  const config = loadConfig(configSchema, {
    INTERNAL_SERVICE_TOKEN: INTERNAL_TOKEN,
    DATABASE_URL: databaseUrl,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const database = createDatabase<UserTables>({ url: databaseUrl, dataDir: "", poolSize: 4 });
  const clock = manualClock();
  const limiter = createConcurrencyLimiter({
    limit: config.PASSWORD_HASH_CONCURRENCY,
    maxQueued: config.PASSWORD_HASH_QUEUE_MAX,
  });
  const passwords = createPasswordHasher(limiter);
  const signingKey = await generateSigningKey();
  const logLines: string[] = [];
  const logger = createLogger({ service: "user-service", sink: (l) => logLines.push(l) });
  const service = await createUserService(config, { database, clock, signingKey, logger, passwords });
  return {
    app: service.app,
    clock,
    signingKey,
    database,
    config,
    limiter,
    passwords,
    logLines,
    close: () => service.stop(),
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
