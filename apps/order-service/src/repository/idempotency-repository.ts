import type { Kysely, Selectable } from "kysely";
import { type IdempotencyKeysTable, type OrdersDatabase, ordersDb } from "./tables.ts";

/** A used Idempotency-Key: whose it is, the hash of the body it came with and the order it placed. */
export type IdempotencyRecord = {
  userId: string;
  key: string;
  requestHash: string;
  orderId: string;
  createdAt: Date;
};
export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;

const toRecord = (row: Selectable<IdempotencyKeysTable>): IdempotencyRecord => ({
  userId: row.user_id,
  key: row.key,
  requestHash: row.request_hash,
  orderId: row.order_id,
  createdAt: row.created_at,
});

/** Keys are written together with their order (see OrdersRepository.insertReserving); here they are read and aged out. */
export function createIdempotencyRepository(db: Kysely<OrdersDatabase>) {
  return ordersDb.withErrors({
    async find(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
      const row = await db
        .selectFrom("idempotency_keys")
        .selectAll()
        .where("user_id", "=", userId)
        .where("key", "=", key)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async deleteOlderThan(cutoff: Date): Promise<number> {
      const result = await db
        .deleteFrom("idempotency_keys")
        .where("created_at", "<", cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  });
}
