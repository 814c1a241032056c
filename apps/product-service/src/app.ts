import type { TokenVerifier } from "@ecom/auth";
import type { Logger, ServiceMetrics } from "@ecom/observability";
import type { RequestLimits } from "@ecom/request-guard";
import type { Clock } from "@ecom/service-kit";
import { createServiceApp } from "@ecom/service-kit";
import { trpcRoute } from "@ecom/trpc-kit";
import type { ProductServiceConfig } from "./config.ts";
import type { ProductsDatabase } from "./db/database.ts";
import { withReadCache } from "./read-cache/cached-catalog.ts";
import { createProductRepository } from "./repository/products.ts";
import { createReservationRepository } from "./repository/reservations.ts";
import { productRoutes } from "./routes/products.ts";
import { createProductRouter } from "./trpc/router.ts";

export type AppDeps = {
  /** Request limits enforced before routing. */
  limits: RequestLimits;
  db: Pick<ProductsDatabase, "products" | "reservations" | "ping">;
  verifier: TokenVerifier;
  clock: Clock;
  logger: Logger;
  metrics: ServiceMetrics;
  config: Pick<
    ProductServiceConfig,
    | "INTERNAL_SERVICE_TOKEN"
    | "RESERVATION_LEASE_MS"
    | "CATALOG_MAX_AGE_SECONDS"
    | "CATALOG_STALE_WHILE_REVALIDATE_SECONDS"
    | "CATALOG_READ_CACHE_TTL_MS"
    | "CATALOG_READ_CACHE_MAX_PRODUCTS"
  >;
};

/** Builds the whole HTTP surface from its dependencies; `service.ts` supplies them (tests override some). */
export function createApp(deps: AppDeps) {
  const { products, reservations } = withReadCache(
    createProductRepository(deps.db.products),
    createReservationRepository({
      products: deps.db.products,
      reservations: deps.db.reservations,
      clock: deps.clock,
      leaseMs: deps.config.RESERVATION_LEASE_MS,
    }),
    {
      ttlMs: deps.config.CATALOG_READ_CACHE_TTL_MS,
      maxWeight: deps.config.CATALOG_READ_CACHE_MAX_PRODUCTS,
      clock: deps.clock,
    },
  );
  return createServiceApp({
    limits: deps.limits,
    name: "product-service",
    title: "Product service",
    version: "1.0.0",
    description: "The product catalog: search, product administration and stock.",
    logger: deps.logger,
    metrics: deps.metrics,
    ready: deps.db.ping,
  })
    .use(
      productRoutes({
        repository: products,
        verifier: deps.verifier,
        cachePolicy: {
          maxAgeSeconds: deps.config.CATALOG_MAX_AGE_SECONDS,
          staleWhileRevalidateSeconds: deps.config.CATALOG_STALE_WHILE_REVALIDATE_SECONDS,
        },
      }),
    )
    .use(
      trpcRoute(createProductRouter({ products, reservations }), {
        serviceToken: deps.config.INTERNAL_SERVICE_TOKEN,
      }),
    );
}

export type ProductServiceApp = ReturnType<typeof createApp>;
