import type { Logger } from "@ecom/observability";
import type { ProductRouter } from "@ecom/product-service/trpc";
import type { Clock } from "@ecom/service-kit";
import type { UserRouter } from "@ecom/user-service/trpc";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { ActiveUserCache } from "../clients/active-user-cache.ts";
import type { CatalogCache } from "../clients/catalog-cache.ts";
import type { OrderClients } from "../clients/service-clients.ts";
import type { OrderMetrics } from "../metrics/order-metrics.ts";
import type { IdempotencyRepository } from "../repository/idempotency-repository.ts";
import type { OrdersRepository } from "../repository/orders-repository.ts";

/** What the saga steps log with: the service's Logger, of which they use two levels. */
export type Log = Pick<Logger, "info" | "warn">;

type UserIn = inferRouterInputs<UserRouter>;
type UserOut = inferRouterOutputs<UserRouter>;
type ProductIn = inferRouterInputs<ProductRouter>;
type ProductOut = inferRouterOutputs<ProductRouter>;

/**
 * The procedures the saga calls on the other services, typed from their routers. The typed tRPC
 * clients satisfy it (a tagged tRPC promise is a Promise), and so does a plain object of async
 * functions, which is how a test runs the saga against an in-memory catalog.
 */
export type SagaClients = {
  users: {
    withRequestId(requestId: string): {
      getById: { query(input: UserIn["getById"]): Promise<UserOut["getById"]> };
    };
  };
  products: {
    withRequestId(requestId: string): {
      getMany: { query(input: ProductIn["getMany"]): Promise<ProductOut["getMany"]> };
      reserve: { mutate(input: ProductIn["reserve"]): Promise<ProductOut["reserve"]> };
      release: { mutate(input: ProductIn["release"]): Promise<ProductOut["release"]> };
      settle: { mutate(input: ProductIn["settle"]): Promise<ProductOut["settle"]> };
      cancel: { mutate(input: ProductIn["cancel"]): Promise<ProductOut["cancel"]> };
    };
  };
};

/**
 * What the placing, cancelling and recovering steps share. The service builds it with the real tRPC
 * clients (the default, checked against `SagaClients` here); the steps take any `SagaClients`.
 */
export type SagaDeps<Clients extends SagaClients = OrderClients> = {
  orders: OrdersRepository;
  idempotency: IdempotencyRepository;
  clients: Clients;
  activeUsers: ActiveUserCache;
  catalog: CatalogCache;
  metrics: OrderMetrics;
  clock: Clock;
};

/** The request a step runs for: its id travels to the other services, its logger tags every line. */
export type CallContext = { requestId: string; log: Log };
