import { pgErrors } from "@ecom/db";
import type { ColumnType, Generated } from "kysely";

/** Where the placing saga stands: hidden while "reserving" or "failed", a real order once "reserved". */
export type SagaState = "reserving" | "reserved" | "failed";
export type OrderStatus = "pending" | "confirmed" | "shipped" | "delivered" | "cancelled";

type Timestamp = ColumnType<Date, Date, Date>;
/** BIGINT comes back as a string so cents are never rounded. */
type Cents = ColumnType<string, string | bigint, string | bigint>;

export type OrdersTable = {
  id: string;
  user_id: string;
  status: OrderStatus;
  saga_state: SagaState;
  total_cents: Cents;
  shipping_address: ColumnType<ShippingAddressRow, string, string>;
  payment_method: string;
  idempotency_key: string | null;
  /** Set together with status "cancelled"; cleared once the product service confirmed the release. */
  release_pending: Generated<boolean>;
  stock_released_at: Timestamp | null;
  /** Set together with status "shipped"; cleared once the product service confirmed the settle. */
  settle_pending: Generated<boolean>;
  stock_settled_at: Timestamp | null;
  /** Recovery claims a row until then, so replicas never work on the same saga at once. */
  recovery_lease_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type ShippingAddressRow = {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
};

export type OrderItemsTable = {
  order_id: string;
  line_no: number;
  product_id: string;
  product_name: string;
  quantity: number;
  price_cents: Cents;
};

export type IdempotencyKeysTable = {
  user_id: string;
  key: string;
  request_hash: string;
  order_id: string;
  created_at: Timestamp;
};

export type OrdersDatabase = {
  orders: OrdersTable;
  order_items: OrderItemsTable;
  idempotency_keys: IdempotencyKeysTable;
};

/** orders_db failures as callers see them (unreachable → 503 naming it). */
export const ordersDb = pgErrors("orders database");
