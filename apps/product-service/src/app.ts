import type { TokenVerifier } from "@ecom/auth";
import type { Logger, ServiceMetrics } from "@ecom/observability";
import type { RequestLimits } from "@ecom/request-guard";
import type { Clock } from "@ecom/service-kit";
import { createServiceApp } from "@ecom/service-kit";
import { trpcRoute } from "@ecom/trpc-kit";
import type { ProductsDatabase } from "./db/database.ts";
import { productRepository } from "./repository/products.ts";
import { reservationRepository } from "./repository/reservations.ts";
import { productRoutes } from "./routes/products.ts";
import { createProductRouter } from "./trpc/router.ts";

export type AppDeps = {
  /** Request limits enforced before routing; the defaults when absent (tests). */
  limits?: RequestLimits;
  db: Pick<ProductsDatabase, "products" | "reservations" | "ping">;
  verifier: TokenVerifier;
  clock: Clock;
  logger: Logger;
  metrics: ServiceMetrics;
  config: { internalServiceToken: string; reservationLeaseMs: number };
};

/** Builds the whole HTTP surface from its dependencies; `index.ts` supplies real ones, tests their own. */
export function createApp(deps: AppDeps) {
  const products = productRepository(deps.db.products);
  const reservations = reservationRepository({
    products: deps.db.products,
    reservations: deps.db.reservations,
    clock: deps.clock,
    leaseMs: deps.config.reservationLeaseMs,
  });
  return createServiceApp({
    ...(deps.limits ? { limits: deps.limits } : {}),
    name: "product-service",
    title: "Product service",
    version: "1.0.0",
    description: "The product catalog: search, product administration and stock.",
    logger: deps.logger,
    metrics: deps.metrics,
    ready: deps.db.ping,
  })
    .use(productRoutes({ repository: products, verifier: deps.verifier }))
    .use(
      trpcRoute(createProductRouter({ products, reservations }), {
        serviceToken: deps.config.internalServiceToken,
      }),
    );
}
