import type { Kysely, Selectable } from "kysely";
import { type IdempotencyKeysTable, type OrdersDatabase, ordersDb } from "./tables.ts";

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;
export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;

/** Keys are written together with their order (see OrdersRepository.insertReserving); here they are read and aged out. */
export function createIdempotencyRepository(db: Kysely<OrdersDatabase>) {
  return ordersDb.withErrors({
    find(userId: string, key: string): Promise<IdempotencyRow | undefined> {
      return db
        .selectFrom("idempotency_keys")
        .selectAll()
        .where("user_id", "=", userId)
        .where("key", "=", key)
        .executeTakeFirst();
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
