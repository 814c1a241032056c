import { z } from "zod";
import { LOCAL_SERVICE_TOKEN } from "./production-rules.ts";

const proxyAddress = z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()]);

/**
 * Comma-separated CIDRs (or single addresses) of the proxies whose forwarding headers are believed.
 * Empty trusts nobody: the socket peer is the client.
 */
const trustedProxies = z
  .string()
  .default("")
  .transform((value, ctx) => {
    const entries = value
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    for (const entry of entries) {
      if (!proxyAddress.safeParse(entry).success) {
        ctx.addIssue({
          code: "custom",
          message: `"${entry}" is not an IPv4 or IPv6 address or CIDR (e.g. 10.0.0.0/8, fd00::/8)`,
        });
      }
    }
    return entries;
  });

/** Variables every service reads; each service extends this with its own. */
export const commonEnv = {
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Shared secret every internal tRPC call must carry; the local default only works outside production. */
  INTERNAL_SERVICE_TOKEN: z.string().min(16, "must be at least 16 characters").default(LOCAL_SERVICE_TOKEN),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  TRUSTED_PROXIES: trustedProxies,
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
