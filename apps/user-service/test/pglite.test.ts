import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@ecom/config";
import { createDatabase } from "@ecom/db";
import { createLogger, createMetrics } from "@ecom/observability";
import { systemClock } from "@ecom/service-kit";
import { BOOT_BOUND_MS } from "@ecom/test-harness";
import { createApp } from "../src/app.ts";
import { prepareDatabase } from "../src/bootstrap/prepare-database.ts";
import { configSchema } from "../src/config.ts";
import { loadSigningKey } from "../src/keys/load-signing-key.ts";
import type { UserTables } from "../src/repository/tables.ts";
import { createConcurrencyLimiter } from "../src/security/concurrency-limiter.ts";
import { createPasswordHasher } from "../src/security/passwords.ts";
import { call, expectError, login, register } from "./support/http.ts";

test(
  "with no DATABASE_URL the service runs on embedded PGlite in its data dir",
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "user-service-pglite-"));
    const database = createDatabase<UserTables>({ dataDir });
    try {
      expect(database.kind).toBe("pglite");
      const admin = { email: "root@shop.test", password: "root-password" };
      const passwords = createPasswordHasher(createConcurrencyLimiter({ limit: 1, maxQueued: 8 }));
      await prepareDatabase(database.db, { admin, clock: systemClock, passwords });
      // Start-up twice, as after a restart: migrations and the admin upsert are idempotent.
      await prepareDatabase(database.db, { admin, clock: systemClock, passwords });
      const config = loadConfig(configSchema, { DATA_DIR: dataDir });
      const app = createApp({
        database,
        clock: systemClock,
        signingKey: await loadSigningKey({ nodeEnv: "development", dataDir }),
        logger: createLogger({ service: "user-service", sink: () => {} }),
        metrics: createMetrics("user-service"),
        passwords,
        config,
      });
      // One embedded connection: concurrent requests and transactions must queue, not collide.
      const [u] = await Promise.all([register(app), register(app), register(app)]);
      if (!u) throw new Error("no user");
      expect((await call(app, "GET", "/api/users/me", { token: u.accessToken })).status).toBe(200);
      // PGlite reports the unique violation like PostgreSQL does.
      const again = { email: u.email.toUpperCase(), password: u.password, firstName: "A", lastName: "B" };
      expectError(await call(app, "POST", "/api/users/register", { body: again }), 409, "EMAIL_TAKEN");
      expect((await login(app, admin.email, admin.password)).user.role).toBe("admin");
      expect((await call(app, "GET", "/health/ready")).status).toBe(200);
    } finally {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  // Booting PGlite takes seconds, more on a loaded machine, also when this file runs alone.
  BOOT_BOUND_MS,
);
