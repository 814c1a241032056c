import type { ProductModel } from "../models/product-model.ts";

export type Line = { productId: string; quantity: number };

/**
 * Takes `quantity` for `orderId` in one atomic single-document update, only when enough stock is
 * left, the product is active and this order holds nothing on it yet (so a resumed or repeated
 * call can never take twice). Returns whether it took.
 */
export async function takeHold(products: ProductModel, orderId: string, line: Line): Promise<boolean> {
  const result = await products.updateOne(
    {
      _id: line.productId,
      isActive: true,
      stock: { $gte: line.quantity },
      "holds.orderId": { $ne: orderId },
    },
    { $inc: { stock: -line.quantity }, $push: { holds: { orderId, quantity: line.quantity } } },
  );
  return result.modifiedCount === 1;
}

/** Gives back what `orderId` holds on the product, in the same update that removes the hold: at most once. */
export async function returnHold(products: ProductModel, orderId: string, line: Line): Promise<boolean> {
  const result = await products.updateOne(
    { _id: line.productId, holds: { $elemMatch: { orderId, quantity: line.quantity } } },
    { $inc: { stock: line.quantity }, $pull: { holds: { orderId } } },
  );
  return result.modifiedCount === 1;
}

export async function holdsOn(products: ProductModel, orderId: string, productId: string): Promise<boolean> {
  return (await products.exists({ _id: productId, "holds.orderId": orderId })) !== null;
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
