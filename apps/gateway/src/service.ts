import { type FetchApp, fetchServiceRoot, type ServiceRoot } from "@ecom/lifecycle";
import { createLogger, type Logger, newRequestId } from "@ecom/observability";
import { requestLimitsFromEnv, trustedProxies } from "@ecom/request-guard";
import { createGateway } from "./app.ts";
import type { GatewayConfig } from "./config.ts";
import { jsonError } from "./json-error.ts";

/** What a test may hand in instead of what the configuration would build. */
export type GatewayServiceOverrides = Partial<{ logger: Logger }>;

/**
 * The gateway's composition root: the routing fetch handler built from the configuration (or
 * `overrides`) and the listener's settings. `index.ts` runs what this returns; tests build the very
 * same thing. Nothing to prepare or close: the gateway holds no state.
 */
export function createGatewayService(
  config: GatewayConfig,
  overrides: GatewayServiceOverrides = {},
): ServiceRoot<FetchApp> {
  const logger = overrides.logger ?? createLogger({ service: "gateway", level: config.LOG_LEVEL });
  const fetch = createGateway({
    upstreams: {
      users: config.USER_SERVICE_URL,
      products: config.PRODUCT_SERVICE_URL,
      orders: config.ORDER_SERVICE_URL,
    },
    upstreamTimeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
    limits: requestLimitsFromEnv(config),
    trustedProxies: trustedProxies(config.TRUSTED_PROXIES),
    logger,
  });
  return fetchServiceRoot({
    fetch,
    logger,
    hostname: config.HOST,
    port: config.PORT,
    serve: {
      // Above the upstream deadline, so a client waiting on a slow service gets its 504.
      idleTimeout: Math.ceil(config.GATEWAY_UPSTREAM_TIMEOUT_MS / 1000) + 10,
      // Never Bun's development error page (it shows paths and source), whatever NODE_ENV says.
      development: false,
      // The guard reads at most its own limit; Bun's cut-off, which answers with an empty body, stays far above.
      maxRequestBodySize: 64 * 1024 * 1024,
      error: () => jsonError(500, "INTERNAL_ERROR", "Something went wrong", newRequestId()),
    },
  });
}
