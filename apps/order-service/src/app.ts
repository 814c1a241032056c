import { authPlugin, type TokenVerifier } from "@ecom/auth";
import type { Database } from "@ecom/db";
import type { Logger, ServiceMetrics } from "@ecom/observability";
import type { RequestLimits } from "@ecom/request-guard";
import { createServiceApp } from "@ecom/service-kit";
import type { OrdersDatabase } from "./repository/tables.ts";
import { orderRoutes } from "./routes/orders.ts";
import type { PlaceOrderOptions } from "./saga/place-order.ts";
import type { SagaDeps } from "./saga/saga-deps.ts";

export type AppDeps = {
  /** Request limits enforced before routing. */
  limits: RequestLimits;
  /** Only for the readiness check; the routes reach the database through the saga's repositories. */
  database: Pick<Database<OrdersDatabase>, "ping">;
  /** The very object the recovery loop works with, so both see the same repositories, clients and caches. */
  saga: SagaDeps;
  placing: PlaceOrderOptions;
  verifier: TokenVerifier;
  logger: Logger;
  metrics: ServiceMetrics;
};

/** Builds the whole HTTP app from its dependencies; nothing here reads the environment or global state. */
export function createApp(deps: AppDeps) {
  return createServiceApp({
    limits: deps.limits,
    name: "order-service",
    title: "Order service",
    version: "1.0.0",
    description:
      "Places orders as a saga over the user and product services: the order is written first, the " +
      "stock reserved under its id, and a recovery loop finishes or undoes any saga a crash interrupted.",
    logger: deps.logger,
    metrics: deps.metrics,
    ready: deps.database.ping,
  })
    .use(authPlugin(deps.verifier))
    .use(orderRoutes({ ...deps.saga, placing: deps.placing }));
}

export type OrderServiceApp = ReturnType<typeof createApp>;
