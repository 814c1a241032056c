export { healthRoutes, type ReadinessCheck } from "./health-routes.ts";
