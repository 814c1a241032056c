import type { ServiceMetrics } from "@ecom/observability";
import type { DependencyCall } from "@ecom/trpc-kit";
import { Counter, Histogram } from "prom-client";

export type OrderRejectReason =
  | "insufficient_stock"
  | "product_unavailable"
  | "user_inactive"
  | "dependency_unavailable"
  | "idempotency_conflict";

export type RecoveryOutcome = "completed" | "rolled_back" | "release_finished" | "settle_finished" | "error";

export type OrderMetrics = ReturnType<typeof createOrderMetrics>;

/** Business metrics of the order service, on the same registry as its HTTP metrics. */
export function createOrderMetrics(metrics: ServiceMetrics) {
  const registers = [metrics.registry];
  const placed = new Counter({
    name: "orders_placed_total",
    help: "Orders placed (stock reserved)",
    registers,
  });
  const rejected = new Counter({
    name: "orders_rejected_total",
    help: "Order placements refused, by reason",
    labelNames: ["reason"] as const,
    registers,
  });
  const recoveries = new Counter({
    name: "saga_recoveries_total",
    help: "Unfinished sagas and releases settled by the recovery loop, by outcome",
    labelNames: ["outcome"] as const,
    registers,
  });
  const dependencyDuration = new Histogram({
    name: "dependency_call_duration_seconds",
    help: "Duration of calls to other services, by service, procedure and outcome",
    labelNames: ["service", "procedure", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const dependencyFailures = new Counter({
    name: "dependency_call_failures_total",
    help: "Calls to other services that failed (unavailable, timed out or refused), by service and procedure",
    labelNames: ["service", "procedure"] as const,
    registers,
  });
  return {
    orderPlaced: () => placed.inc(),
    orderRejected: (reason: OrderRejectReason) => rejected.inc({ reason }),
    sagaRecovered: (outcome: RecoveryOutcome) => recoveries.inc({ outcome }),
    /** The hook handed to every service client. */
    dependencyCall: (call: DependencyCall) => {
      dependencyDuration.observe(
        { service: call.service, procedure: call.procedure, outcome: call.outcome },
        call.seconds,
      );
      if (call.outcome !== "success")
        dependencyFailures.inc({ service: call.service, procedure: call.procedure });
    },
  };
}
