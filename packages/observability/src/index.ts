export { createLogger, type Logger, type LogLevel, type LogSink } from "./logger.ts";
export { createMetrics, type ServiceMetrics } from "./metrics.ts";
export { requestContext } from "./request-context.ts";
export { isValidRequestId, newRequestId } from "./request-id.ts";
export { requestPath } from "./request-path.ts";
