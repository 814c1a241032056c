import { loadConfigOrExit } from "@ecom/config";
import { createLogger } from "@ecom/observability";
import { systemClock } from "@ecom/service-kit";
import { productServiceEnv } from "../config.ts";
import { embeddedDataDir } from "../db/embedded-data-dir.ts";
import { openConfiguredDatabase } from "../db/open-configured-database.ts";
import { demoCatalog } from "./demo-catalog.ts";
import { seedCatalog } from "./seed-catalog.ts";

/** `bun run seed`: adds the demo products that are missing; existing products are untouched. */
const env = loadConfigOrExit(productServiceEnv);
const logger = createLogger({ service: "product-service", level: env.LOG_LEVEL });
const db = await openConfiguredDatabase(env, { clock: systemClock, logger, embeddedDataDir });
try {
  await db.prepare();
  const result = await seedCatalog(db.products, demoCatalog, systemClock.now());
  logger.info("seeded demo catalog", result);
} finally {
  await db.close();
}
