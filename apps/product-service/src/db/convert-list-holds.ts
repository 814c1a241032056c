import type { mongo } from "mongoose";
import type { ProductModel } from "../models/product-model.ts";

type ListHold = { orderId: string; quantity: number };
type Stored = { _id: string; holds: ListHold[] } & Record<string, unknown>;

const BATCH = 500;

/**
 * Moves holds stored by earlier versions as a list (`holds: [{orderId, quantity}]`) into the
 * order-id map (`holdsByOrder`), each product with an update conditional on the very list it read, so
 * a product changed meanwhile is read again instead of losing a hold. Until then the holds code honours
 * both forms, so replicas of either version can run side by side during a rolling update. A no-op once
 * every list is empty; returns how many products were converted. Products that keep changing under it
 * (old replicas still taking stock on them) are left for a later start rather than holding this one up.
 */
export async function convertListHolds(products: ProductModel): Promise<number> {
  const collection = products.collection as unknown as mongo.Collection<Stored>;
  let converted = 0;
  for (;;) {
    const batch = await collection
      .find({ "holds.0": { $exists: true } }, { projection: { holds: 1 }, limit: BATCH })
      .toArray();
    if (batch.length === 0) return converted;
    let changed = 0;
    for (const product of batch) {
      const moved = Object.fromEntries(product.holds.map((h) => [`holdsByOrder.${h.orderId}`, h.quantity]));
      const result = await collection.updateOne(
        { _id: product._id, holds: product.holds },
        { $set: { ...moved, holds: [] } },
      );
      changed += result.modifiedCount;
    }
    if (changed === 0) return converted;
    converted += changed;
  }
}
