export { type Clock, systemClock } from "./clock.ts";
export { createServiceApp, type ServiceAppOptions } from "./create-service-app.ts";
export {
  cacheableJson,
  cacheControl,
  conditionalReadHeaders,
  entityTag,
  ifNoneMatchHits,
  notModified,
  type SharedCachePolicy,
  varyWith,
  withCacheHeaders,
} from "./http-cache.ts";
export { noContent } from "./openapi-document.ts";
export { bearerSecurity, type HandlerContext, routeGroup } from "./route-group.ts";
