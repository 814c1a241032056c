import type { ProductRouter } from "@ecom/product-service/trpc";
import type { Clock } from "@ecom/service-kit";
import type { inferRouterOutputs } from "@trpc/server";

/** One product as the catalog's `getMany` answers it. */
export type CatalogProduct = inferRouterOutputs<ProductRouter>["getMany"][number];

/**
 * Names, prices and last-seen stock of recently ordered products, so an order for products priced a
 * moment ago skips the catalog read. Staleness never reaches an order: the reservation takes a line
 * only at the price and name the order was priced with, and answers CATALOG_CHANGED otherwise (then
 * the saga forgets those products and prices again). An entry is used only to say yes: a product it
 * shows inactive or short is read again, so a refusal always comes from a fresh read.
 * `ttlMs` 0 turns it off; at most `maxEntries` products are kept (the least recently stored go first).
 */
export type CatalogCache = {
  /** The product of every line, in line order, if each is known, fresh, active and has the quantity; else undefined. */
  lookup(items: { productId: string; quantity: number }[]): CatalogProduct[] | undefined;
  remember(products: CatalogProduct[]): void;
  forget(ids: string[]): void;
};

export function createCatalogCache(options: {
  ttlMs: number;
  maxEntries: number;
  clock: Clock;
}): CatalogCache {
  const entries = new Map<string, { product: CatalogProduct; expiresAt: number }>();
  return {
    lookup(items) {
      const now = options.clock.now().getTime();
      const found: CatalogProduct[] = [];
      for (const item of items) {
        const entry = entries.get(item.productId);
        if (!entry || entry.expiresAt <= now) return undefined;
        if (!entry.product.isActive || entry.product.stock < item.quantity) return undefined;
        found.push(entry.product);
      }
      return found;
    },
    remember(products) {
      if (options.ttlMs <= 0) return;
      const expiresAt = options.clock.now().getTime() + options.ttlMs;
      for (const product of products) {
        // Re-inserting moves the product to the end, so the first key is always the oldest entry.
        entries.delete(product.id);
        entries.set(product.id, { product, expiresAt });
      }
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    forget(ids) {
      for (const id of ids) entries.delete(id);
    },
  };
}
