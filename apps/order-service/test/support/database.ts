import { createDatabase, migrateToLatest } from "@ecom/db";
import type { Clock } from "@ecom/service-kit";
import type { PostgresServer } from "@ecom/test-harness";
import { migrations } from "../../src/migrations/index.ts";
import type { OrdersDatabase } from "../../src/repository/tables.ts";

/** A fresh, migrated orders database on the shared test server. */
export async function freshOrdersDatabase(server: PostgresServer) {
  const url = await server.createDatabase();
  const database = createDatabase<OrdersDatabase>({ url, dataDir: "", poolSize: 20 });
  await migrateToLatest(database.db as never, migrations);
  return { ...database, url };
}

export type ManualClock = Clock & { advance(ms: number): void };

/** A clock the test moves by hand, so grace periods and key ages need no sleeping. */
export function manualClock(start = new Date("2026-01-01T00:00:00Z")): ManualClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
}
