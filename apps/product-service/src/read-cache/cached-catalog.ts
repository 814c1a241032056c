import type { ListPlan } from "../repository/list-filter.ts";
import type { ProductRepository } from "../repository/products.ts";
import type { ReservationRepository } from "../repository/reservations.ts";
import { createReadCache, type ReadCacheOptions } from "./read-cache.ts";

const oneProduct = () => 1;
// RegExps (a search) would stringify as `{}`: every search would share one key.
const planKey = (plan: ListPlan) =>
  `list:${JSON.stringify(plan, (_key, value) => (value instanceof RegExp ? String(value) : value))}`;
const listWeight = (list: { items: unknown[] }) => list.items.length + 1;

/**
 * The repository with its catalog reads (lists and products) served from a short-lived cache. Every
 * write through it, and every stock change through `reservations`, empties the cache at once, so this
 * replica never shows what it has itself changed; another replica's writes show within the TTL.
 * The order path reads `getMany`, which is never cached.
 */
export function withReadCache(
  repository: ProductRepository,
  reservations: ReservationRepository,
  options: ReadCacheOptions,
): { products: ProductRepository; reservations: ReservationRepository } {
  const cache = createReadCache(options);
  const clearingAfter =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      // In `finally`: a write that failed half-way may still have changed stock.
      write(...args).finally(cache.clear);

  return {
    products: {
      ...repository,
      list: (plan) => cache.read(planKey(plan), () => repository.list(plan), listWeight),
      get: (id, visibility) =>
        cache.read(
          `get:${visibility.includeInactive ? "all" : "active"}:${id}`,
          () => repository.get(id, visibility),
          oneProduct,
        ),
      create: clearingAfter(repository.create),
      patch: clearingAfter(repository.patch),
      deactivate: clearingAfter(repository.deactivate),
      adjustStock: clearingAfter(repository.adjustStock),
    },
    reservations: {
      ...reservations,
      reserve: clearingAfter(reservations.reserve),
      release: clearingAfter(reservations.release),
      settle: clearingAfter(reservations.settle),
      cancel: clearingAfter(reservations.cancel),
    },
  };
}
