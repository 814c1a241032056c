import { loadConfigOrExit } from "@ecom/config";
import { runService } from "@ecom/lifecycle";
import { configSchema } from "./config.ts";
import { createOrderService } from "./service.ts";

const config = loadConfigOrExit(configSchema);
await runService(() => createOrderService(config), {
  port: config.PORT,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
});
