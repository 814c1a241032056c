export { createInternalTrpc, type InternalContext } from "./internal-trpc.ts";
export {
  createServiceClient,
  type DependencyCall,
  type DependencyCallOutcome,
  type ServiceClient,
  type ServiceClientOptions,
} from "./service-client.ts";
export { trpcRoute } from "./trpc-route.ts";
