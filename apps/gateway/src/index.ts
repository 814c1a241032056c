import { loadConfigOrExit } from "@ecom/config";
import { createLogger } from "@ecom/observability";
import { requestLimitsFromEnv, trustedProxies } from "@ecom/request-guard";
import { createGateway } from "./app.ts";
import { gatewayEnv } from "./config.ts";
import { serveGateway } from "./serve-gateway.ts";

const config = loadConfigOrExit(gatewayEnv);
const logger = createLogger({ service: "gateway", level: config.LOG_LEVEL });

serveGateway({
  fetch: createGateway({
    upstreams: {
      users: config.USER_SERVICE_URL,
      products: config.PRODUCT_SERVICE_URL,
      orders: config.ORDER_SERVICE_URL,
    },
    upstreamTimeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
    limits: requestLimitsFromEnv(config),
    trustedProxies: trustedProxies(config.TRUSTED_PROXIES),
    logger,
  }),
  port: config.PORT,
  hostname: config.HOST,
  logger,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  idleTimeoutSeconds: Math.ceil(config.GATEWAY_UPSTREAM_TIMEOUT_MS / 1000) + 10,
});
