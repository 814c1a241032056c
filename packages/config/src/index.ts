export { commonEnv } from "./common-env.ts";
export { ConfigError, loadConfig, loadConfigOrExit } from "./load-config.ts";
export { LOCAL_SERVICE_TOKEN, refuseLocalFallbacks } from "./production-rules.ts";
