import { errorPlugin } from "@ecom/errors";
import { healthRoutes, type ReadinessCheck } from "@ecom/health";
import { type Logger, requestContext, type ServiceMetrics } from "@ecom/observability";
import { defaultRequestLimits, type RequestLimits } from "@ecom/request-guard";
import { Elysia } from "elysia";
import { allowedMethods, type Route } from "./allowed-methods.ts";
import { openapiDocument } from "./openapi-document.ts";
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
  const app = new Elysia({
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
    .use(errorPlugin(options.logger, { allowedMethods: allowedMethods((): readonly Route[] => app.routes) }))
    .use(requestGuard(limits))
    .use(
      // zod's own JSON Schema (input for requests, output for answers), finished by openapiDocument.
      openapiDocument({
        path: "/docs",
        specPath: "/openapi.json",
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
  return app;
}
