import { loadConfigOrExit } from "@ecom/config";
import { runService } from "@ecom/lifecycle";
import { configSchema } from "./config.ts";
import { createUserService } from "./service.ts";

const config = loadConfigOrExit(configSchema);
await runService(() => createUserService(config), {
  port: config.PORT,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
});
