import { z } from "zod";
import { priceParamSchema, priceSchema } from "./money.ts";

const tag = z.string().trim().toLowerCase().min(1).max(40);
const category = z.string().trim().toLowerCase().min(1).max(60);

/** Fields an admin sets on a product; `stock` only at creation, afterwards via the stock endpoint. */
const productFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(5000),
  price: priceSchema,
  category,
  stock: z.int().min(0).max(1_000_000_000),
  images: z
    .array(z.url({ protocol: /^https?$/ }).max(2048))
    .max(20)
    .optional(),
  tags: z.array(tag).max(30).optional(),
  isActive: z.boolean().optional(),
};

export const createProductBody = z.strictObject(productFields);
export type CreateProductInput = z.infer<typeof createProductBody>;

export const patchProductBody = createProductBody
  .omit({ stock: true })
  .partial()
  .refine((body) => Object.keys(body).length > 0, "send at least one field to change");
export type PatchProductInput = z.infer<typeof patchProductBody>;

export const stockDeltaBody = z.strictObject({
  quantity: z.int().min(-1_000_000_000).max(1_000_000_000),
});

export const productIdParams = z.object({ id: z.string().max(64) });

export const productSortValues = ["price", "-price", "name", "-createdAt"] as const;
const integerParam = z.string().regex(/^\d{1,6}$/, "must be a whole number");
const booleanParam = z.enum(["true", "false"]);

/** Every query value is a plain string checked here; unknown parameters are refused, like unknown body fields. */
export const listProductsQuery = z.strictObject({
  q: z.string().max(200).optional().describe("Case-insensitive text to find in the name or description"),
  category: z.string().max(60).optional(),
  tags: z.string().max(500).optional().describe("Comma-separated tags; a product must have all of them"),
  minPrice: priceParamSchema.optional(),
  maxPrice: priceParamSchema.optional(),
  inStock: booleanParam.optional().describe("`true`: only products with stock left"),
  includeInactive: booleanParam.optional().describe("`true` (admins only): include deactivated products"),
  sort: z.enum(productSortValues).optional().describe("Default `-createdAt` (newest first)"),
  page: integerParam
    .refine((v) => Number(v) >= 1, "must be at least 1")
    .optional()
    .describe("Page number from 1 (default 1)"),
  limit: integerParam
    .refine((v) => Number(v) >= 1 && Number(v) <= 100, "must be between 1 and 100")
    .optional()
    .describe("Items per page, 1 to 100 (default 20)"),
});
export type ListProductsQuery = z.infer<typeof listProductsQuery>;

export const productView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  price: z.number(),
  category: z.string(),
  stock: z.int(),
  images: z.array(z.string()),
  tags: z.array(z.string()),
  isActive: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ProductView = z.infer<typeof productView>;

export const productList = z.object({
  items: z.array(productView),
  page: z.int(),
  limit: z.int(),
  total: z.int(),
});

/** The internal `getMany` lookup: found ids only, price in integer cents, inactive products flagged. */
export const getManyInput = z.strictObject({ ids: z.array(z.uuid()).min(1).max(100) });
export const catalogEntry = productView
  .pick({ id: true, name: true, stock: true, isActive: true })
  .extend({ priceCents: z.int() });
export type CatalogEntry = z.infer<typeof catalogEntry>;
export const getManyResult = z.array(catalogEntry);
