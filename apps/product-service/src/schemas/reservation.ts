import { z } from "zod";

export const reserveInput = z.strictObject({
  orderId: z.uuid(),
  items: z
    .array(z.strictObject({ productId: z.uuid(), quantity: z.int().min(1).max(1_000_000) }))
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

export const failureReason = z.enum(["INSUFFICIENT_STOCK", "PRODUCT_UNAVAILABLE", "RELEASED"]);
export type FailureReason = z.infer<typeof failureReason>;

export type ReserveResult =
  | { ok: true; status: "reserved" }
  | { ok: false; reason: FailureReason; shortages: Shortage[] };

export const orderIdInput = z.strictObject({ orderId: z.uuid() });

/** `already_settled`: the order was shipped, its stock is sold and never given back. */
export type ReleaseResult = { status: "released" | "already_released" | "already_settled" | "none_held" };
/** `settled` counts as reserved for the order saga: the stock stays taken, only the holds are gone. */
export type ReservationStatus = { status: "reserved" | "settled" | "released" | "none" };
export type SettleResult = { status: "settled" | "already_settled" | "none_held" | "released" };

export const getManyInput = z.strictObject({ ids: z.array(z.uuid()).min(1).max(100) });
