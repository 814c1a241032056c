import { createDatabase, migrateToLatest } from "@ecom/db";
import { migrations } from "@ecom/order-service/migrations";
import type { OrdersDatabase } from "@ecom/order-service/tables";
import { ceilingArgs, closedLoop, printOutput } from "./closed-loop.ts";

/**
 * Data ceiling of POST /api/orders on the PostgreSQL side: one transaction inserting an order and its
 * two lines, through Kysely and a pg pool of the order service's default size, into a database with
 * the order service's own schema, on the same PostgreSQL server.
 */
const args = ceilingArgs<{
  url: string;
  productIds: string[];
  userIds: string[];
  poolSize: number;
  concurrency: number;
  durationSec: number;
  warmupSec: number;
}>();

const database = createDatabase<OrdersDatabase>({ url: args.url, dataDir: "", poolSize: args.poolSize });
await migrateToLatest(database.db as never, migrations);
const pick = <T>(list: T[], i: number) => list[i % list.length] as T;

printOutput(
  await closedLoop({
    ...args,
    op: (i) =>
      database.db.transaction().execute(async (tx) => {
        const id = crypto.randomUUID();
        const now = new Date();
        await tx
          .insertInto("orders")
          .values({
            id,
            user_id: pick(args.userIds, i),
            status: "pending",
            saga_state: "reserving",
            total_cents: 4_998n,
            shipping_address: JSON.stringify({
              line1: "1 Bench St",
              city: "X",
              postalCode: "1",
              country: "US",
            }),
            payment_method: "card",
            idempotency_key: null,
            stock_released_at: null,
            recovery_lease_until: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await tx
          .insertInto("order_items")
          .values(
            [0, 1].map((line) => ({
              order_id: id,
              line_no: line + 1,
              product_id: pick(args.productIds, i + line),
              product_name: "Bench product",
              quantity: 1,
              price_cents: 2_499n,
            })),
          )
          .execute();
      }),
  }),
);
await database.close();
