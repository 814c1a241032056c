import { startMongoServer } from "@ecom/mongo-server";
import type { Logger } from "@ecom/observability";
import type { Clock } from "@ecom/service-kit";
import type { ProductServiceEnv } from "../config.ts";
import { openDatabase, type ProductsDatabase } from "./database.ts";

/**
 * The database named by MONGO_URL, or (outside production, where config refuses a missing URL) the
 * embedded mongo-java-server keeping its data in `embeddedDataDir`. `close` also stops that server.
 */
export async function openConfiguredDatabase(
  env: Pick<ProductServiceEnv, "MONGO_URL" | "MONGO_DB_NAME">,
  deps: { clock: Clock; logger: Logger; embeddedDataDir: string },
): Promise<ProductsDatabase> {
  if (env.MONGO_URL)
    return openDatabase({ url: env.MONGO_URL, dbName: env.MONGO_DB_NAME, clock: deps.clock });
  const dataDir = deps.embeddedDataDir;
  const server = await startMongoServer({ dataDir, jit: "peak" });
  deps.logger.info("started embedded mongo server", { "server.port": server.port, dataDir });
  try {
    const db = await openDatabase({ url: server.url, dbName: env.MONGO_DB_NAME, clock: deps.clock });
    return {
      ...db,
      close: async () => {
        await db.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
