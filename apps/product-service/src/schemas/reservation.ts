import { z } from "zod";

/**
 * A line to reserve. `priceCents` and `productName`, when given, are what the caller priced the order
 * with: the line is then taken only while the product's `priceCents` and `name` still say exactly that,
 * so an order never records a price or name that was no longer current when its stock was taken (else
 * `CATALOG_CHANGED`). `productName`, as on the order side: a line's name, not the product's own field.
 */
const lineName = z.string().min(1).max(200);

export const reserveLine = z
  .strictObject({
    productId: z.uuid(),
    quantity: z.int().min(1).max(1_000_000),
    priceCents: z.int().min(1).optional(),
    productName: lineName.optional(),
    /**
     * The field's earlier name, still read so that during a rolling update an order-service replica
     * of the previous release can keep reserving; it is taken as `productName`.
     */
    name: lineName.optional(),
  })
  .transform(({ name, ...line }) =>
    line.productName === undefined && name !== undefined ? { ...line, productName: name } : line,
  );

export const reserveInput = z.strictObject({
  orderId: z.uuid(),
  items: z
    .array(reserveLine)
    .min(1)
    .max(100)
    .refine(
      (items) => new Set(items.map((i) => i.productId)).size === items.length,
      "each product may appear only once",
    ),
});
export type ReserveInput = z.infer<typeof reserveInput>;

export const shortage = z.object({ productId: z.string(), requested: z.int(), available: z.int() });
export type Shortage = z.infer<typeof shortage>;

/** `CATALOG_CHANGED`: some line's price or name is no longer the one the caller sent; re-price and retry. */
export const failureReason = z.enum([
  "INSUFFICIENT_STOCK",
  "PRODUCT_UNAVAILABLE",
  "CATALOG_CHANGED",
  "RELEASED",
]);
export type FailureReason = z.infer<typeof failureReason>;

export const reserveResult = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), status: z.literal("reserved") }),
  z.object({ ok: z.literal(false), reason: failureReason, shortages: z.array(shortage) }),
]);
export type ReserveResult = z.infer<typeof reserveResult>;

export const orderIdInput = z.strictObject({ orderId: z.uuid() });

/** `already_settled`: the order was shipped, its stock is sold and never given back. */
export const releaseResult = z.object({
  status: z.enum(["released", "already_released", "already_settled", "none_held"]),
});
export type ReleaseResult = z.infer<typeof releaseResult>;

/**
 * `settled` counts as reserved for the order saga: the stock stays taken, only the holds are gone.
 * `reserving`: a reserve is running (or died and its lease has not run out yet).
 */
export const reservationStatus = z.object({
  status: z.enum(["reserving", "reserved", "settled", "released", "none"]),
});
export type ReservationStatus = z.infer<typeof reservationStatus>;

/**
 * What recovery's `cancel` found or did: `cancelled` (nothing is or will be held: a tombstone or a
 * rollback was written now), `already_released`, `reserved` / `settled` (a reserve completed: the order
 * stands, nothing was given back) or `in_progress` (a reserve is running under a live lease; ask again).
 */
export const cancelResult = z.object({
  status: z.enum(["cancelled", "already_released", "reserved", "settled", "in_progress"]),
});
export type CancelResult = z.infer<typeof cancelResult>;

export const settleResult = z.object({
  status: z.enum(["settled", "already_settled", "none_held", "released"]),
});
export type SettleResult = z.infer<typeof settleResult>;
