import { describe, expect, test } from "bun:test";
import { diagnoseRefusal, type ProductNow } from "../src/repository/refusal-diagnosis.ts";

const A = "a0000000-0000-4000-8000-000000000001";
const B = "b0000000-0000-4000-8000-000000000002";

const product = (id: string, fields: Partial<ProductNow> = {}): ProductNow => ({
  _id: id,
  stock: 10,
  isActive: true,
  priceCents: 500,
  name: `product ${id}`,
  ...fields,
});

describe("diagnoseRefusal", () => {
  test("a missing or inactive product is PRODUCT_UNAVAILABLE, with nothing available", () => {
    const items = [
      { productId: A, quantity: 2 },
      { productId: B, quantity: 3 },
    ];
    expect(diagnoseRefusal(items, items, [product(B, { isActive: false })])).toEqual({
      reason: "PRODUCT_UNAVAILABLE",
      shortages: [
        { productId: A, requested: 2, available: 0 },
        { productId: B, requested: 3, available: 0 },
      ],
    });
  });

  test("unavailable wins over a changed price and a shortage", () => {
    const items = [
      { productId: A, quantity: 20, priceCents: 1 },
      { productId: B, quantity: 1 },
    ];
    const found = [product(A), product(B, { isActive: false })];
    expect(diagnoseRefusal(items, items, found)).toEqual({
      reason: "PRODUCT_UNAVAILABLE",
      shortages: [{ productId: B, requested: 1, available: 0 }],
    });
  });

  test("a line whose price or name is no longer the one sent is CATALOG_CHANGED, before any shortage", () => {
    const items = [
      { productId: A, quantity: 20, priceCents: 499 },
      { productId: B, quantity: 1, productName: "old name" },
    ];
    expect(diagnoseRefusal(items, items, [product(A), product(B)])).toEqual({
      reason: "CATALOG_CHANGED",
      shortages: [
        { productId: A, requested: 20, available: 10 },
        { productId: B, requested: 1, available: 10 },
      ],
    });
  });

  test("a line that names the current price and name is not changed", () => {
    const items = [{ productId: A, quantity: 11, priceCents: 500, productName: `product ${A}` }];
    expect(diagnoseRefusal(items, items, [product(A)]).reason).toBe("INSUFFICIENT_STOCK");
  });

  test("INSUFFICIENT_STOCK lists every short line, not the ones that fit", () => {
    const short = { productId: A, quantity: 11 };
    const fits = { productId: B, quantity: 4 };
    expect(diagnoseRefusal([short, fits], [short], [product(A), product(B)])).toEqual({
      reason: "INSUFFICIENT_STOCK",
      shortages: [{ productId: A, requested: 11, available: 10 }],
    });
  });

  test("a refused line stays in the answer even if its stock came back since", () => {
    const taken = { productId: A, quantity: 2 };
    const refused = { productId: B, quantity: 4 };
    expect(diagnoseRefusal([taken, refused], [refused], [product(A), product(B)])).toEqual({
      reason: "INSUFFICIENT_STOCK",
      shortages: [{ productId: B, requested: 4, available: 10 }],
    });
  });
});
