export { createInternalTrpc, type InternalContext } from "./internal-trpc.ts";
export { trpcRoute } from "./trpc-route.ts";
