import { createHash, randomBytes } from "node:crypto";

/** 256 random bits; only the holder has it, the database keeps its hash. */
export const newRefreshToken = (): string => randomBytes(32).toString("base64url");

/**
 * SHA-256 is enough here (unlike passwords): the token is high-entropy, so a leaked hash cannot be
 * brute-forced, and a fast hash lets the token be looked up by an index.
 */
export const hashRefreshToken = (token: string): string => createHash("sha256").update(token).digest("hex");
