export { type Clock, systemClock } from "./clock.ts";
export { createServiceApp, type ServiceAppOptions } from "./create-service-app.ts";
export { noContent } from "./openapi-document.ts";
export { bearerSecurity, type HandlerContext, routeGroup } from "./route-group.ts";
