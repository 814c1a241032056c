import { z } from "zod";
import { ORDER_STATUSES } from "../domain/order-status.ts";

/** Documented set of payment methods; payment itself happens outside this service. */
export const PAYMENT_METHODS = ["card", "paypal", "bank_transfer", "cash_on_delivery"] as const;

const text = (max: number) => z.string().trim().min(1).max(max);

export const shippingAddressSchema = z
  .object({
    line1: text(200),
    line2: text(200).optional(),
    city: text(100),
    postalCode: text(20),
    country: text(100),
  })
  .strict();

export const orderLineInputSchema = z
  .object({
    productId: z.uuid(),
    quantity: z.number().int().min(1).max(100),
  })
  .strict();

/** What a client may send: product ids and quantities only, never prices, ids or stock. */
export const placeOrderBodySchema = z
  .object({
    items: z
      .array(orderLineInputSchema)
      .min(1)
      .max(50)
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((item, index) => {
          if (seen.has(item.productId))
            ctx.addIssue({
              code: "custom",
              path: [index, "productId"],
              message: "each product may appear in one line only",
            });
          seen.add(item.productId);
        });
      }),
    shippingAddress: shippingAddressSchema,
    paymentMethod: z.enum(PAYMENT_METHODS),
    userId: z.uuid().optional(),
  })
  .strict();

export type PlaceOrderBody = z.infer<typeof placeOrderBodySchema>;

/** Keys are opaque to the service; printable ASCII keeps them safe in logs. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, "must be 1..255 printable ASCII characters");

export const orderStatusSchema = z.enum(ORDER_STATUSES);

export const listOrdersQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    status: orderStatusSchema.optional(),
    userId: z.uuid().optional(),
  })
  .strict();

export type ListOrdersQuery = z.infer<typeof listOrdersQuerySchema>;

export const orderIdParamsSchema = z.object({ id: z.uuid() }).strict();

export const updateStatusBodySchema = z.object({ status: orderStatusSchema }).strict();

export const orderItemSchema = z.object({
  productId: z.uuid(),
  productName: z.string(),
  quantity: z.number().int(),
  price: z.number(),
});

export const orderSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  items: z.array(orderItemSchema),
  totalAmount: z.number(),
  status: orderStatusSchema,
  shippingAddress: shippingAddressSchema,
  paymentMethod: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type OrderView = z.infer<typeof orderSchema>;

export const orderListSchema = z.object({
  items: z.array(orderSchema),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
});
