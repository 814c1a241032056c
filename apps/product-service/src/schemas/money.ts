import { z } from "zod";

const MAX_PRICE_CENTS = 100_000_000;
const twoDecimals = /^\d+(\.\d{1,2})?$/;

/**
 * A JSON price: a plain decimal number with at most 2 decimals. Checking the number's shortest
 * decimal form (what JSON.parse read) rejects 19.999 without any float arithmetic.
 */
export const priceSchema = z
  .number()
  .positive()
  .max(MAX_PRICE_CENTS / 100)
  .refine((v) => twoDecimals.test(String(v)), "must have at most 2 decimals")
  // The same rule for the OpenAPI document, where a refinement does not show.
  .meta({ multipleOf: 0.01 });

/** A price in a query string, e.g. `minPrice=10.5`. */
export const priceParamSchema = z.string().regex(twoDecimals, "must be a price with at most 2 decimals");

/** Exact: splits on the decimal point instead of multiplying a float by 100. */
export function toCents(price: number | string): number {
  const [whole = "0", fraction = ""] = String(price).split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** 1999 / 100 is the double closest to 19.99, which is exactly what JSON prints back as 19.99. */
export const fromCents = (cents: number): number => cents / 100;
