export { runService } from "./run-service.ts";
export {
  type Background,
  elysiaServiceRoot,
  type FetchApp,
  type FetchHandler,
  fetchServiceRoot,
  type Listening,
  type ServiceRoot,
  urlHost,
} from "./service-root.ts";
export { StartupFailure } from "./startup-failure.ts";
