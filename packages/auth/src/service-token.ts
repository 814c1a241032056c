import { timingSafeEqual } from "node:crypto";

export const SERVICE_TOKEN_HEADER = "x-internal-token";

/** Constant-time comparison, so the internal credential cannot be guessed byte by byte. */
export function isValidServiceToken(presented: string | null | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
