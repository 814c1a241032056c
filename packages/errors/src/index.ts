export {
  AppError,
  ConflictError,
  DependencyUnavailableError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  ValidationFailedError,
} from "./app-error.ts";
export { type ErrorBody, errorBody } from "./error-body.ts";
export { errorBodySchema } from "./error-body-schema.ts";
export { errorPlugin } from "./error-plugin.ts";
export { withErrorTranslation } from "./with-error-translation.ts";
