export {
  AppError,
  ConflictError,
  DependencyUnavailableError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationFailedError,
} from "./app-error.ts";
export { type ErrorBody, errorBody } from "./error-body.ts";
export { errorPlugin } from "./error-plugin.ts";
