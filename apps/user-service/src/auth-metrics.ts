import type { ServiceMetrics } from "@ecom/observability";
import { Counter } from "prom-client";

export type AuthMetrics = ReturnType<typeof createAuthMetrics>;

/** Outcomes worth alerting on: a burst of failed logins or of refresh-token reuse means an attack. */
export function createAuthMetrics(metrics: ServiceMetrics) {
  return {
    logins: new Counter({
      name: "auth_login_attempts_total",
      help: "Login attempts by outcome",
      labelNames: ["outcome"] as const,
      registers: [metrics.registry],
    }),
    refreshes: new Counter({
      name: "auth_refresh_total",
      help: "Refresh-token exchanges by outcome",
      labelNames: ["outcome"] as const,
      registers: [metrics.registry],
    }),
  };
}
