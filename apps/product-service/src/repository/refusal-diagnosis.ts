import type { Failure } from "./reservation-records.ts";
import type { Line } from "./stock-holds.ts";

/** A product as read after a refused reserve; a product that does not exist is absent from the list. */
export type ProductNow = { _id: string; stock: number; isActive: boolean; priceCents: number; name: string };

/**
 * Why a reserve whose `refused` lines were not taken failed, from the order's `items` and the products
 * read afterwards, in this order: PRODUCT_UNAVAILABLE (missing or inactive), CATALOG_CHANGED (a line's
 * price or name is no longer the one it was sent with: the caller re-prices, and may then still be
 * short) or INSUFFICIENT_STOCK with every short line.
 */
export function diagnoseRefusal(items: Line[], refused: Line[], products: ProductNow[]): Failure {
  const byId = new Map(products.map((p) => [p._id, p]));
  const available = (line: Line) => byId.get(line.productId)?.stock ?? 0;
  const shortage = (line: Line, left: number) => ({
    productId: line.productId,
    requested: line.quantity,
    available: left,
  });

  const unavailable = items.filter((l) => !byId.get(l.productId)?.isActive);
  if (unavailable.length > 0)
    return { reason: "PRODUCT_UNAVAILABLE", shortages: unavailable.map((l) => shortage(l, 0)) };

  const changed = items.filter((l) => {
    const product = byId.get(l.productId);
    return (
      (l.priceCents !== undefined && l.priceCents !== product?.priceCents) ||
      (l.productName !== undefined && l.productName !== product?.name)
    );
  });
  if (changed.length > 0)
    return { reason: "CATALOG_CHANGED", shortages: changed.map((l) => shortage(l, available(l))) };

  const refusedIds = new Set(refused.map((l) => l.productId));
  const shortages = items
    .map((l) => shortage(l, available(l)))
    // A refused line stays in the answer even if stock came back since: it is why this call failed.
    .filter((s) => s.available < s.requested || refusedIds.has(s.productId));
  return { reason: "INSUFFICIENT_STOCK", shortages };
}
