/**
 * Cents are integers everywhere inside the service; only the REST edge shows them as a decimal number.
 * An integer divided by 100 is the double nearest to that two-decimal value, and JSON prints the
 * shortest form, so 1999 cents is always written as 19.99.
 */
export function centsToAmount(cents: bigint | number | string): number {
  return Number(cents) / 100;
}

/** Exact Σ price × quantity, in BigInt so no intermediate value is ever rounded. */
export function totalCents(lines: readonly { priceCents: bigint | number; quantity: number }[]): bigint {
  return lines.reduce((sum, line) => sum + BigInt(line.priceCents) * BigInt(line.quantity), 0n);
}
