import type { mongo } from "mongoose";
import type { ProductModel } from "../models/product-model.ts";

/** A line of an order; `priceCents` and `productName`, when set, must still be the product's for a take. */
export type Line = {
  productId: string;
  quantity: number;
  priceCents?: number | undefined;
  productName?: string | undefined;
};

/** The fields the holds code reads and writes, as stored: `holdsByOrder` maps an order id to its quantity. */
type Stored = {
  _id: string;
  isActive: boolean;
  stock: number;
  priceCents: number;
  name: string;
  holdsByOrder: Record<string, number>;
  updatedAt: Date;
};

/*
 * Every function here goes through the driver and sets the `updatedAt` mongoose's timestamps would
 * add: filters and updates are built from validated input, so mongoose's per-operation casting would
 * only cost CPU on every order.
 */
const collectionOf = (products: ProductModel) => products.collection as unknown as mongo.Collection<Stored>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The field holding `orderId`'s quantity. Order ids become field names, so anything but a UUID (a dot
 * or a leading `$` would address another field) is refused even though the tRPC input already checks.
 */
function holdField(orderId: string): `holdsByOrder.${string}` {
  if (!UUID.test(orderId)) throw new Error(`not an order id: ${JSON.stringify(orderId)}`);
  return `holdsByOrder.${orderId}`;
}

/** Matches a product on which `orderId` holds stock (`quantity` of it, when given). */
function holdsFor(orderId: string, quantity?: number) {
  return { [holdField(orderId)]: quantity === undefined ? { $exists: true } : quantity };
}

function unsetHold(orderId: string, now: Date) {
  return { $unset: { [holdField(orderId)]: "" as const }, $set: { updatedAt: now } };
}

/**
 * Takes each line for `orderId`, one atomic single-document update per line, sent as one ordered bulk
 * write (one round trip). A line is taken only when enough stock is left, the product is active, its
 * price and name are still the line's (when the line names them) and this order holds nothing on it
 * yet (so a resumed or repeated call can never take twice); a line that does not match is skipped,
 * not an error, and the lines after it are still taken. Returns whether every line was taken by this
 * call; when not, see `heldBy` for which ones the order holds.
 */
export async function takeHolds(products: ProductModel, orderId: string, lines: Line[], now: Date) {
  const field = holdField(orderId);
  const result = await collectionOf(products).bulkWrite(
    lines.map((line) => ({
      updateOne: {
        filter: {
          _id: line.productId,
          isActive: true,
          stock: { $gte: line.quantity },
          ...(line.priceCents === undefined ? {} : { priceCents: line.priceCents }),
          ...(line.productName === undefined ? {} : { name: line.productName }),
          [field]: { $exists: false },
        },
        update: { $inc: { stock: -line.quantity }, $set: { [field]: line.quantity, updatedAt: now } },
      },
    })),
    { ordered: true },
  );
  return result.modifiedCount === lines.length;
}

/** Gives back what `orderId` holds on the product, in the same update that removes the hold: at most once. */
async function returnHold(products: ProductModel, orderId: string, line: Line, now: Date) {
  const update = unsetHold(orderId, now);
  await collectionOf(products).updateOne(
    { _id: line.productId, ...holdsFor(orderId, line.quantity) },
    { ...update, $inc: { stock: line.quantity } },
  );
}

/** The ids among `productIds` on which `orderId` holds stock. */
export async function heldBy(products: ProductModel, orderId: string, productIds: string[]) {
  const held = await collectionOf(products)
    .find({ _id: { $in: productIds }, ...holdsFor(orderId) }, { projection: { _id: 1 } })
    .toArray();
  return new Set(held.map((p) => p._id));
}

/** Idempotent: lines this order does not hold are left alone. */
export async function returnAll(products: ProductModel, orderId: string, lines: Line[], now: Date) {
  for (const line of lines) await returnHold(products, orderId, line, now);
}

/**
 * Drops the order's holds without giving stock back (the order was shipped: its stock is sold), so
 * product documents do not grow with every order ever placed. Idempotent: a product without the hold
 * is left alone, so a settle cut off half-way is finished by repeating it.
 */
export async function dropHolds(products: ProductModel, orderId: string, lines: Line[], now: Date) {
  await collectionOf(products).updateMany(
    { _id: { $in: lines.map((l) => l.productId) }, ...holdsFor(orderId) },
    unsetHold(orderId, now),
  );
}
