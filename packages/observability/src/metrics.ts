import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export type ServiceMetrics = {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  inFlight: Gauge<"method">;
};

/** One registry per app instance, so tests can build several apps in one process without clashes. */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: "http_requests_in_flight",
    help: "HTTP requests being served",
    labelNames: ["method"] as const,
    registers: [registry],
  });
  return { registry, httpDuration, inFlight };
}
