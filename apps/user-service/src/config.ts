import { availableParallelism } from "node:os";
import { join } from "node:path";
import { commonEnv, refuseLocalFallbacks } from "@ecom/config";
import { z } from "zod";

/** `<repo>/.data/user-service`: where local runs keep the embedded database and the generated signing key. */
export const defaultDataDir = join(import.meta.dir, "..", "..", "..", ".data", "user-service");

const positiveInt = z.coerce.number().int().positive();

export const configSchema = z
  .object({
    ...commonEnv,
    PORT: z.coerce.number().int().min(1).max(65535).default(3001),
    DATABASE_URL: z.url().optional(),
    DATA_DIR: z.string().default(defaultDataDir),
    JWT_ISSUER: z.string().min(1).default("ecom-user-service"),
    /** Ed25519 private key, PKCS8 PEM (literal `\n` sequences are accepted for one-line env files). */
    JWT_PRIVATE_KEY: z.string().optional(),
    /** `kid` published in the JWKS; defaults to the key's RFC 7638 thumbprint. */
    JWT_KEY_ID: z.string().min(1).max(128).optional(),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
    REFRESH_TOKEN_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
    /** Login attempts per account from one address per window. */
    LOGIN_RATE_LIMIT_MAX: positiveInt.default(5),
    /**
     * Failed login attempts from one address (an IPv6 /64) per window, across all accounts; successful
     * logins do not count, so many people behind one NAT can still log in.
     */
    LOGIN_RATE_LIMIT_ADDRESS_MAX: positiveInt.default(30),
    LOGIN_RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
    /**
     * argon2id hashes/verifications run at once. One core stays free for every other request; the
     * rest wait their turn in order.
     */
    PASSWORD_HASH_CONCURRENCY: positiveInt.default(Math.max(1, availableParallelism() - 1)),
    /**
     * Hashes/verifications allowed to wait; beyond that login and register answer 503 with Retry-After.
     * Waiters hold little memory, but 32 at one 250 ms hash at a time is ~8 s, past which clients give up.
     * At least 1: at start-up the admin's hash waits for the hasher's own dummy hash.
     */
    PASSWORD_HASH_QUEUE_MAX: positiveInt.default(32),
    ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).optional(),
    ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  })
  .superRefine((env, ctx) => {
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [env.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL"],
        message: "ADMIN_EMAIL and ADMIN_PASSWORD go together",
      });
    }
    // Production never falls back to an embedded database, a generated key or the shared dev credential.
    refuseLocalFallbacks(env, ctx, ["DATABASE_URL", "JWT_PRIVATE_KEY"]);
  });

export type UserServiceConfig = z.infer<typeof configSchema>;
