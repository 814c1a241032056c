import { fileURLToPath } from "node:url";
import { commonEnv, refuseLocalFallbacks } from "@ecom/config";
import { z } from "zod";

/** `<repo>/.data/order-service`, where the embedded database lives when DATABASE_URL is unset. */
export const defaultDataDir = fileURLToPath(new URL("../../../.data/order-service", import.meta.url));

export const configSchema = z
  .object({
    ...commonEnv,
    PORT: z.coerce.number().int().min(1).max(65535).default(3003),
    DATABASE_URL: z.url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    DATA_DIR: z.string().default(defaultDataDir),
    JWT_ISSUER: z.string().default("ecom-user-service"),
    JWKS_URL: z.url().default("http://127.0.0.1:3001/api/users/.well-known/jwks.json"),
    USER_SERVICE_URL: z.url().default("http://127.0.0.1:3001"),
    PRODUCT_SERVICE_URL: z.url().default("http://127.0.0.1:3002"),
    /** Deadline of one call to another service. */
    DEPENDENCY_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
    /** Extra attempts for read-only calls (getById, getMany). */
    DEPENDENCY_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    RECOVERY_INTERVAL_MS: z.coerce.number().int().positive().default(5_000),
    /**
     * Sagas younger than this belong to a request that may still be running; recovery leaves them
     * alone. Must exceed the longest a reserve call may take (see the check below).
     */
    RECOVERY_GRACE_MS: z.coerce.number().int().positive().default(10_000),
    /**
     * How long recovery holds the one row it is working on. A crash strands that row for this long,
     * so it bounds how late an interrupted order settles; it must outlast one call to the product
     * service (see the check below), or a second replica would repeat a step still running.
     */
    RECOVERY_LEASE_MS: z.coerce.number().int().positive().default(5_000),
    IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(24).default(24),
    /**
     * How long the order service trusts that a user is active before asking the user service again;
     * a deactivated user can still order for at most this long. 0 asks on every order.
     */
    USER_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    /**
     * How long names, prices and last-seen stock of ordered products are reused before the catalog is
     * read again. Never changes what an order records (the reservation checks price and name); a
     * change made meanwhile costs one more round for the next order of that product. 0 reads every time.
     */
    CATALOG_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
    /** How long a repeated request waits for the first one with the same Idempotency-Key. */
    IDEMPOTENCY_WAIT_MS: z.coerce.number().int().positive().default(10_000),
    /**
     * Fault-injection hook for crash tests only: the process kills itself with SIGKILL right after the
     * product service confirmed a reservation and before the order is marked reserved.
     */
    CRASH_AFTER_RESERVE: z.enum(["0", "1"]).default("0"),
  })
  .superRefine((env, ctx) => {
    // The client's bound for one call: every attempt with its own deadline (mutations get one today,
    // counting them all keeps the bound true whatever the retry policy).
    const callBudgetMs = env.DEPENDENCY_TIMEOUT_MS * (env.DEPENDENCY_RETRIES + 1);
    if (env.RECOVERY_GRACE_MS <= callBudgetMs)
      ctx.addIssue({
        code: "custom",
        path: ["RECOVERY_GRACE_MS"],
        message:
          `must exceed DEPENDENCY_TIMEOUT_MS × (DEPENDENCY_RETRIES + 1) = ${callBudgetMs} ms, the longest a ` +
          "reserve call may take; otherwise recovery cancels orders whose reserve is still on its way",
      });
    if (env.RECOVERY_LEASE_MS <= env.DEPENDENCY_TIMEOUT_MS)
      ctx.addIssue({
        code: "custom",
        path: ["RECOVERY_LEASE_MS"],
        message: `must exceed DEPENDENCY_TIMEOUT_MS (${env.DEPENDENCY_TIMEOUT_MS} ms), the deadline of one recovery call`,
      });
    refuseLocalFallbacks(env, ctx, ["DATABASE_URL"]);
    if (env.NODE_ENV === "production" && env.CRASH_AFTER_RESERVE === "1")
      ctx.addIssue({
        code: "custom",
        path: ["CRASH_AFTER_RESERVE"],
        message: "is a test hook, never for production",
      });
  });

export type OrderServiceConfig = z.infer<typeof configSchema>;
