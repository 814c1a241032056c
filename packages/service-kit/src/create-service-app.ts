import { errorPlugin } from "@ecom/errors";
import { healthRoutes, type ReadinessCheck } from "@ecom/health";
import { type Logger, requestContext, type ServiceMetrics } from "@ecom/observability";
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { z } from "zod";

export type ServiceAppOptions = {
  name: string;
  title: string;
  version: string;
  description: string;
  logger: Logger;
  metrics: ServiceMetrics;
  ready: ReadinessCheck;
  /** Largest accepted request body; Bun rejects larger ones before they are read. */
  maxBodyBytes?: number;
};

/**
 * The part every service shares: request ids and access logs, the error shape, health,
 * `/metrics`, and OpenAPI at `/openapi.json` with interactive docs at `/docs`.
 */
export function createServiceApp(options: ServiceAppOptions) {
  return new Elysia({
    name: options.name,
    serve: { maxRequestBodySize: options.maxBodyBytes ?? 1024 * 1024 },
  })
    .use(requestContext({ logger: options.logger, metrics: options.metrics }))
    .use(errorPlugin(options.logger))
    .use(
      openapi({
        path: "/docs",
        specPath: "/openapi.json",
        mapJsonSchema: { zod: z.toJSONSchema },
        exclude: {
          // Paths with a dot (the JWKS document) are API routes here, not static files.
          staticFile: false,
          paths: ["/metrics", "/health/live", "/health/ready", "/trpc/*", "/docs", "/openapi.json"],
        },
        documentation: {
          info: { title: options.title, version: options.version, description: options.description },
          components: {
            securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
          },
        },
      }),
    )
    .use(healthRoutes(options.ready))
    .get(
      "/metrics",
      async ({ set }) => {
        set.headers["content-type"] = options.metrics.registry.contentType;
        return options.metrics.registry.metrics();
      },
      { detail: { hide: true } },
    );
}
