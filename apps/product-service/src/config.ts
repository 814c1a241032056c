import { commonEnv, refuseLocalFallbacks } from "@ecom/config";
import { z } from "zod";

const flag = z.enum(["true", "false"]).transform((v) => v === "true");

/** The product service's environment; production refuses every local fallback. */
export const configSchema = z
  .object({
    ...commonEnv,
    PORT: z.coerce.number().int().min(1).max(65_535).default(3002),
    /**
     * Required in every mode: the service never starts a database itself. `bun run dev`, the tests and
     * the benchmark start the embedded MongoDB-wire server (tools/mongo-server) and pass its URL.
     */
    MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// or mongodb+srv:// URL"),
    MONGO_DB_NAME: z.string().min(1).default("products_db"),
    JWT_ISSUER: z.string().min(1).default("ecom-user-service"),
    JWKS_URL: z.url().default("http://127.0.0.1:3001/api/users/.well-known/jwks.json"),
    /** Fills an empty catalog with the demo products at start-up; defaults to on outside production. */
    SEED_ON_EMPTY: flag.optional(),
    /** How long a reserve call may hold an order's reservation before another call may take it over. */
    RESERVATION_LEASE_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /**
     * How long shared caches and browsers may serve an anonymous catalog read without asking again (0:
     * always revalidate), and how much longer they may serve it while revalidating in the background.
     * A cached copy can be up to their sum old; the order path never reads it.
     */
    CATALOG_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(5),
    CATALOG_STALE_WHILE_REVALIDATE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
    /**
     * How long this replica serves a list or a product from memory (0: never). Its own writes clear it at
     * once; another replica's writes, stock taken by orders there included, show within this time.
     */
    CATALOG_READ_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
    /** The most products held in that cache, summed over lists and single products: a bound on its memory. */
    CATALOG_READ_CACHE_MAX_PRODUCTS: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
  })
  .superRefine((env, ctx) => refuseLocalFallbacks(env, ctx));

export type ProductServiceConfig = z.infer<typeof configSchema>;
