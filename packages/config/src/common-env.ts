import { z } from "zod";

/** Variables every service reads; each service extends this with its own. */
export const commonEnv = {
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Shared secret every internal tRPC call must carry; the local default only works outside production. */
  INTERNAL_SERVICE_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .default("local-dev-internal-service-token"),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Request limits enforced before routing (see @ecom/request-guard). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  MAX_JSON_DEPTH: z.coerce.number().int().positive().max(1000).default(32),
  MAX_JSON_VALUES: z.coerce.number().int().positive().default(10_000),
  MAX_QUERY_PARAMS: z.coerce.number().int().positive().default(64),
};
