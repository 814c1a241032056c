import { commonEnv } from "@ecom/config";
import { z } from "zod";

export const configSchema = z.object({
  NODE_ENV: commonEnv.NODE_ENV,
  HOST: commonEnv.HOST,
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  SHUTDOWN_TIMEOUT_MS: commonEnv.SHUTDOWN_TIMEOUT_MS,
  TRUSTED_PROXIES: commonEnv.TRUSTED_PROXIES,
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  USER_SERVICE_URL: z.url().default("http://127.0.0.1:3001"),
  PRODUCT_SERVICE_URL: z.url().default("http://127.0.0.1:3002"),
  ORDER_SERVICE_URL: z.url().default("http://127.0.0.1:3003"),
  /**
   * How long an upstream may take to start answering before the client gets a 504. At most 240 s:
   * the listener's idle timeout (at most 255 s in Bun) is set above it, so the 504 is always sent.
   */
  GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().max(240_000).default(10_000),
  MAX_BODY_BYTES: commonEnv.MAX_BODY_BYTES,
  MAX_JSON_DEPTH: commonEnv.MAX_JSON_DEPTH,
  MAX_JSON_VALUES: commonEnv.MAX_JSON_VALUES,
  MAX_QUERY_PARAMS: commonEnv.MAX_QUERY_PARAMS,
});

export type GatewayConfig = z.infer<typeof configSchema>;
