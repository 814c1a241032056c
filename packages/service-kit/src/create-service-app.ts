import { errorPlugin } from "@ecom/errors";
import { healthRoutes, type ReadinessCheck } from "@ecom/health";
import { type Logger, requestContext, type ServiceMetrics } from "@ecom/observability";
import { defaultRequestLimits, type RequestLimits } from "@ecom/request-guard";
import { openapi } from "@elysiajs/openapi";
import { Elysia } from "elysia";
import { z } from "zod";
import { requestGuard } from "./request-guard.ts";

export type ServiceAppOptions = {
  name: string;
  title: string;
  version: string;
  description: string;
  logger: Logger;
  metrics: ServiceMetrics;
  ready: ReadinessCheck;
  /** What one request may carry; see @ecom/request-guard. */
  limits?: RequestLimits;
};

/**
 * The part every service shares: request ids and access logs, the error shape, health,
 * `/metrics`, and OpenAPI at `/openapi.json` with interactive docs at `/docs`.
 */
export function createServiceApp(options: ServiceAppOptions) {
  const limits = options.limits ?? defaultRequestLimits;
  return new Elysia({
    name: options.name,
    serve: {
      // The guard answers over-limit bodies in the error shape without reading them; Bun's own
      // cut-off, which answers with an empty body, stays far above it as a last resort.
      maxRequestBodySize: Math.max(limits.maxBodyBytes * 16, 64 * 1024 * 1024),
      // Never Bun's development error page (it shows paths and source), whatever NODE_ENV says.
      development: false,
    },
  })
    .use(requestContext({ logger: options.logger, metrics: options.metrics }))
    .use(errorPlugin(options.logger))
    .use(requestGuard(limits))
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
