import { loadConfigOrExit } from "@ecom/config";
import { createLogger } from "@ecom/observability";
import { systemClock } from "@ecom/service-kit";
import { configSchema } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { demoCatalog } from "./demo-catalog.ts";
import { seedCatalog } from "./seed-catalog.ts";

/** `bun run seed`: adds the demo products that are missing; existing products are untouched. */
const env = loadConfigOrExit(configSchema);
const logger = createLogger({ service: "product-service", level: env.LOG_LEVEL });
const db = await openDatabase({ url: env.MONGO_URL, dbName: env.MONGO_DB_NAME, clock: systemClock });
try {
  await db.prepare();
  const result = await seedCatalog(db.products, demoCatalog, systemClock.now());
  logger.info("seeded demo catalog", result);
} finally {
  await db.close();
}
