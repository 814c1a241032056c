import { authPlugin, type TokenVerifier } from "@ecom/auth";
import type { Database } from "@ecom/db";
import type { Logger, ServiceMetrics } from "@ecom/observability";
import type { RequestLimits } from "@ecom/request-guard";
import { createServiceApp } from "@ecom/service-kit";
import type { ActiveUserCache } from "./clients/active-user-cache.ts";
import type { CatalogCache } from "./clients/catalog-cache.ts";
import type { OrderClients } from "./clients/service-clients.ts";
import type { OrderMetrics } from "./metrics/order-metrics.ts";
import { createIdempotencyRepository } from "./repository/idempotency-repository.ts";
import { createOrdersRepository } from "./repository/orders-repository.ts";
import type { OrdersDatabase } from "./repository/tables.ts";
import { orderRoutes } from "./routes/orders.ts";
import type { PlaceOrderOptions } from "./saga/place-order.ts";
import type { SagaDeps } from "./saga/saga-deps.ts";

export type AppDeps = {
  /** Request limits enforced before routing; the defaults when absent (tests). */
  limits?: RequestLimits;
  db: Pick<Database<OrdersDatabase>, "db" | "ping">;
  clock: () => Date;
  clients: OrderClients;
  activeUsers: ActiveUserCache;
  catalog: CatalogCache;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: ServiceMetrics & { orders: OrderMetrics };
  config: PlaceOrderOptions;
};

/** The saga's collaborators, shared by the HTTP routes and the recovery loop. */
export function createSagaDeps(
  deps: Pick<AppDeps, "db" | "clock" | "clients" | "activeUsers" | "catalog" | "metrics">,
): SagaDeps {
  return {
    orders: createOrdersRepository(deps.db.db, deps.clock),
    idempotency: createIdempotencyRepository(deps.db.db),
    clients: deps.clients,
    activeUsers: deps.activeUsers,
    catalog: deps.catalog,
    metrics: deps.metrics.orders,
    clock: deps.clock,
  };
}

/** Builds the whole HTTP app from its dependencies; nothing here reads the environment or global state. */
export function createApp(deps: AppDeps) {
  return createServiceApp({
    ...(deps.limits ? { limits: deps.limits } : {}),
    name: "order-service",
    title: "Order service",
    version: "1.0.0",
    description:
      "Places orders as a saga over the user and product services: the order is written first, the " +
      "stock reserved under its id, and a recovery loop finishes or undoes any saga a crash interrupted.",
    logger: deps.logger,
    metrics: deps.metrics,
    ready: deps.db.ping,
  })
    .use(authPlugin(deps.verifier))
    .use(orderRoutes({ ...createSagaDeps(deps), placing: deps.config }));
}

export type OrderServiceApp = ReturnType<typeof createApp>;
