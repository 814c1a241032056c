import { randomUUID } from "node:crypto";
import type { Clock } from "@ecom/service-kit";
import { type Connection, type InferSchemaType, Schema } from "mongoose";
import { toProductView } from "../views/product-view.ts";

const isInteger = { validator: Number.isInteger, message: "{PATH} must be an integer" };

/**
 * Stock the orders hold on this product, order id → quantity. A hold is written in the same
 * single-document update that takes the stock (and removed in the one that gives it back), so "stock
 * taken" and "who took it" can never disagree, whatever crashes in between; it also makes taking and
 * giving back idempotent per order. Keyed by order id rather than a list, so testing and changing one
 * order's hold does not walk every other open order's (see `repository/stock-holds.ts`).
 */
const holdsByOrderField = {
  type: Map,
  of: { type: Number, min: 1, validate: isInteger },
  default: () => new Map(),
  select: false,
};

/** Mirrors the REST schema in `schemas/product.ts`; money is kept as integer cents. */
export function createProductSchema(clock: Clock) {
  return new Schema(
    {
      _id: { type: String, default: () => randomUUID() },
      name: { type: String, required: true, trim: true, minlength: 1, maxlength: 200 },
      description: { type: String, required: true, trim: true, minlength: 1, maxlength: 5000 },
      priceCents: { type: Number, required: true, min: 1, max: 100_000_000, validate: isInteger },
      category: { type: String, required: true, trim: true, lowercase: true, minlength: 1, maxlength: 60 },
      stock: { type: Number, required: true, min: 0, validate: isInteger },
      images: { type: [String], default: [] },
      tags: { type: [{ type: String, trim: true, lowercase: true }], default: [] },
      isActive: { type: Boolean, default: true },
      holdsByOrder: holdsByOrderField,
    },
    {
      collection: "products",
      versionKey: false,
      strict: "throw",
      timestamps: { currentTime: () => clock.now() },
      autoIndex: false,
      autoCreate: false,
      toJSON: { transform: (_doc, record) => toProductView(record as unknown as ProductRecord) },
    },
  )
    .index({ category: 1 })
    .index({ tags: 1 })
    .index({ priceCents: 1 })
    .index({ isActive: 1 })
    .index({ createdAt: -1 });
}

export type ProductRecord = InferSchemaType<ReturnType<typeof createProductSchema>> & {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
};

export function createProductModel(connection: Connection, clock: Clock) {
  return connection.model("Product", createProductSchema(clock));
}

export type ProductModel = ReturnType<typeof createProductModel>;
