import type { ProductModel } from "../models/product-model.ts";
import { toCents } from "../schemas/money.ts";
import type { DemoProduct } from "./demo-catalog.ts";

/**
 * Upserts products by id with `$setOnInsert` only: products that already exist (and their live
 * stock) are left exactly as they are, so seeding can run any number of times.
 */
export async function seedCatalog(
  products: ProductModel,
  catalog: DemoProduct[],
  now: Date,
): Promise<{ inserted: number; existing: number }> {
  const result = await products.bulkWrite(
    catalog.map(({ id, price, ...fields }) => ({
      updateOne: {
        filter: { _id: id },
        update: {
          $setOnInsert: {
            _id: id,
            ...fields,
            images: fields.images ?? [],
            tags: fields.tags ?? [],
            isActive: fields.isActive ?? true,
            priceCents: toCents(price),
            createdAt: now,
            updatedAt: now,
          },
        },
        upsert: true,
        timestamps: false,
      },
    })),
    { ordered: false },
  );
  return { inserted: result.upsertedCount, existing: catalog.length - result.upsertedCount };
}
