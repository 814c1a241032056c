export { commonEnv } from "./common-env.ts";
export { ConfigError, loadConfig, loadConfigOrExit } from "./load-config.ts";
