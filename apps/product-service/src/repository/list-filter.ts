import { toCents } from "../schemas/money.ts";
import type { ListProductsQuery } from "../schemas/product.ts";

const sorts = {
  price: { priceCents: 1 },
  "-price": { priceCents: -1 },
  name: { name: 1 },
  "-createdAt": { createdAt: -1 },
} as const;

export type ListPlan = {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
  page: number;
  limit: number;
};

/** Regex metacharacters in user input match themselves: `q=.*` searches for the text ".*". */
export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Turns validated query strings into a MongoDB filter. Every value placed in the filter is a string,
 * number or an escaped RegExp built here, never an object taken from the request.
 */
export function planList(query: ListProductsQuery, options: { canSeeInactive: boolean }): ListPlan {
  const filter: Record<string, unknown> = {};
  if (!(options.canSeeInactive && query.includeInactive === "true")) filter.isActive = true;
  const q = query.q?.trim();
  if (q) {
    const pattern = new RegExp(escapeRegex(q), "i");
    filter.$or = [{ name: pattern }, { description: pattern }];
  }
  const category = query.category?.trim().toLowerCase();
  if (category) filter.category = category;
  const tags = (query.tags ?? "")
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (tags.length > 0) filter.tags = { $all: [...new Set(tags)] };
  const price: Record<string, number> = {};
  if (query.minPrice !== undefined) price.$gte = toCents(query.minPrice);
  if (query.maxPrice !== undefined) price.$lte = toCents(query.maxPrice);
  if (Object.keys(price).length > 0) filter.priceCents = price;
  if (query.inStock === "true") filter.stock = { $gt: 0 };
  return {
    filter,
    // `_id` breaks ties so pages never repeat or skip products with equal sort keys.
    sort: { ...sorts[query.sort ?? "-createdAt"], _id: 1 },
    page: Number(query.page ?? 1),
    limit: Number(query.limit ?? 20),
  };
}
