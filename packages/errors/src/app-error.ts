/** The one error family: anything thrown as an AppError is rendered with its status and code. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends AppError {
  constructor(message: string, details?: unknown, code = "VALIDATION_ERROR") {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Missing, invalid or expired access token", code = "UNAUTHORIZED") {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this") {
    super(403, "FORBIDDEN", message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = "Not found") {
    super(404, "NOT_FOUND", message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(413, "PAYLOAD_TOO_LARGE", `Request body is larger than ${maxBytes} bytes`, { maxBytes });
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      429,
      "RATE_LIMITED",
      "Too many attempts, try again later",
      { retryAfterSeconds },
      {
        "retry-after": String(retryAfterSeconds),
      },
    );
  }
}

export class DependencyUnavailableError extends AppError {
  constructor(dependency: string, message = `${dependency} is unavailable`) {
    super(503, "DEPENDENCY_UNAVAILABLE", message, { dependency });
  }
}
