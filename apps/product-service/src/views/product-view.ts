import type { ProductRecord } from "../models/product-model.ts";
import { fromCents } from "../schemas/money.ts";
import type { ProductView } from "../schemas/product.ts";

/** The API's Product object: cents become `price`, internal fields (holds) never leave the service. */
export function toProductView(record: ProductRecord): ProductView {
  return {
    id: record._id,
    name: record.name,
    description: record.description,
    price: fromCents(record.priceCents),
    category: record.category,
    stock: record.stock,
    images: [...record.images],
    tags: [...record.tags],
    isActive: record.isActive,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
