import { createMetrics } from "@ecom/observability";
import { createOrderMetrics } from "./order-metrics.ts";

/** HTTP metrics from the shared kit plus the order business metrics, on one registry. */
export function createOrderServiceMetrics() {
  const metrics = createMetrics("order-service");
  return { ...metrics, orders: createOrderMetrics(metrics) };
}
