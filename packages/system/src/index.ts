// The process launcher is the separate entry `@ecom/system/spawn`: the gateway reads this
// description in production and must not load a launcher with it.
export {
  connectionEnv,
  gateway,
  jwksPath,
  type ProcessKey,
  type ProcessSpec,
  repoRoot,
  type ServiceKey,
  type ServiceName,
  type ServiceSpec,
  service,
  services,
} from "./topology.ts";
