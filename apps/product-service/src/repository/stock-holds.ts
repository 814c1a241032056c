import type { mongo } from "mongoose";
import type { ProductModel } from "../models/product-model.ts";

/** A line of an order; `priceCents` and `name`, when set, must still be the product's for a take. */
export type Line = {
  productId: string;
  quantity: number;
  priceCents?: number | undefined;
  name?: string | undefined;
};

/** The fields a take reads and writes, as stored (the model's own type wraps holds as subdocuments). */
type Stored = {
  _id: string;
  isActive: boolean;
  stock: number;
  priceCents: number;
  name: string;
  holds: { orderId: string; quantity: number }[];
};

/**
 * Takes each line for `orderId`, one atomic single-document update per line, sent as one ordered bulk
 * write (one round trip). A line is taken only when enough stock is left, the product is active, its
 * price and name are still the line's (when the line names them) and this order holds nothing on it
 * yet (so a resumed or repeated call can never take twice); a line that
 * does not match is skipped, not an error, and the lines after it are still taken. Returns whether
 * every line was taken by this call; when not, see `heldBy` for which ones the order holds.
 */
export async function takeHolds(
  products: ProductModel,
  orderId: string,
  lines: Line[],
  now: Date,
): Promise<boolean> {
  // Through the driver with the `updatedAt` mongoose's timestamps would add: the filter and update are
  // built here from validated input, so mongoose's per-operation casting would only cost CPU per order.
  const collection = products.collection as unknown as mongo.Collection<Stored & { updatedAt: Date }>;
  const result = await collection.bulkWrite(
    lines.map((line) => ({
      updateOne: {
        filter: {
          _id: line.productId,
          isActive: true,
          stock: { $gte: line.quantity },
          ...(line.priceCents === undefined ? {} : { priceCents: line.priceCents }),
          ...(line.name === undefined ? {} : { name: line.name }),
          "holds.orderId": { $ne: orderId },
        },
        update: {
          $inc: { stock: -line.quantity },
          $push: { holds: { orderId, quantity: line.quantity } },
          $set: { updatedAt: now },
        },
      },
    })),
    { ordered: true },
  );
  return result.modifiedCount === lines.length;
}

/** Gives back what `orderId` holds on the product, in the same update that removes the hold: at most once. */
export async function returnHold(products: ProductModel, orderId: string, line: Line): Promise<boolean> {
  const result = await products.updateOne(
    { _id: line.productId, holds: { $elemMatch: { orderId, quantity: line.quantity } } },
    { $inc: { stock: line.quantity }, $pull: { holds: { orderId } } },
  );
  return result.modifiedCount === 1;
}

/** The ids among `productIds` on which `orderId` holds stock. */
export async function heldBy(
  products: ProductModel,
  orderId: string,
  productIds: string[],
): Promise<Set<string>> {
  const held = await products
    .find({ _id: { $in: productIds }, "holds.orderId": orderId }, { _id: 1 })
    .lean<{ _id: string }[]>();
  return new Set(held.map((p) => p._id));
}

/** Idempotent: lines this order does not hold are left alone. */
export async function returnAll(products: ProductModel, orderId: string, lines: Line[]): Promise<void> {
  for (const line of lines) await returnHold(products, orderId, line);
}

/**
 * Drops the order's holds without giving stock back (the order was shipped: its stock is sold), so
 * product documents do not grow with every order ever placed. Idempotent: a product without the hold
 * is left alone, so a settle cut off half-way is finished by repeating it.
 */
export async function dropHolds(products: ProductModel, orderId: string, lines: Line[]): Promise<void> {
  await products.updateMany(
    { _id: { $in: lines.map((l) => l.productId) }, "holds.orderId": orderId },
    { $pull: { holds: { orderId } } },
  );
}
