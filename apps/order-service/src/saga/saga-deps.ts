import type { ActiveUserCache } from "../clients/active-user-cache.ts";
import type { CatalogCache } from "../clients/catalog-cache.ts";
import type { OrderClients } from "../clients/service-clients.ts";
import type { OrderMetrics } from "../metrics/order-metrics.ts";
import type { IdempotencyRepository } from "../repository/idempotency-repository.ts";
import type { OrdersRepository } from "../repository/orders-repository.ts";

export type Log = {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
};

/** What the placing, cancelling and recovering steps share. */
export type SagaDeps = {
  orders: OrdersRepository;
  idempotency: IdempotencyRepository;
  clients: OrderClients;
  activeUsers: ActiveUserCache;
  catalog: CatalogCache;
  metrics: OrderMetrics;
  clock: () => Date;
};

/** The request a step runs for: its id travels to the other services, its logger tags every line. */
export type CallContext = { requestId: string; log: Log };
