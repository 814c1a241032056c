import type { ProductRouter } from "@ecom/product-service/trpc";
import { createServiceClient, type DependencyCall, type ServiceClient } from "@ecom/trpc-kit";
import type { UserRouter } from "@ecom/user-service/trpc";

export type OrderClients = {
  users: ServiceClient<UserRouter>;
  products: ServiceClient<ProductRouter>;
};

/** The two services an order depends on, typed from their routers (types only, no code shared). */
export function createOrderClients(options: {
  userServiceUrl: string;
  productServiceUrl: string;
  serviceToken: string;
  timeoutMs: number;
  retries: number;
  onCall: (call: DependencyCall) => void;
}): OrderClients {
  const common = {
    serviceToken: options.serviceToken,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    onCall: options.onCall,
  };
  return {
    users: createServiceClient<UserRouter>({ ...common, name: "user-service", url: options.userServiceUrl }),
    products: createServiceClient<ProductRouter>({
      ...common,
      name: "product-service",
      url: options.productServiceUrl,
    }),
  };
}
