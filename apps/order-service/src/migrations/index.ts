import type { Migration } from "kysely/migration";
import * as createOrders from "./0001-create-orders.ts";
import * as addSettlePending from "./0002-add-settle-pending.ts";

/** In code, so a compiled binary needs no migration folder; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  "0001-create-orders": createOrders,
  "0002-add-settle-pending": addSettlePending,
};
