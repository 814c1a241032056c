import { type Logger, requestPath } from "@ecom/observability";
import { Elysia, type ValidationError } from "elysia";
import { AppError } from "./app-error.ts";
import { errorBody } from "./error-body.ts";

function validationDetails(error: Readonly<ValidationError>): { path: string; message: string }[] {
  return error.all.map((issue) => {
    const path = "path" in issue ? String(issue.path).replace(/^\//, "").replaceAll("/", ".") : "";
    return { path: path === "root" ? "" : path, message: issue.summary ?? issue.message ?? "invalid" };
  });
}

export type ErrorPluginOptions = {
  /** Methods the app answers on a path; a known path asked with another method is a 405, not a 404. */
  allowedMethods?: (path: string) => string[];
};

/**
 * Renders every failure in the contract's shape. The request id is read back from the response
 * headers, where the request-context plugin put it before any handler ran.
 */
export function errorPlugin(logger: Pick<Logger, "error">, options: ErrorPluginOptions = {}) {
  return new Elysia({ name: "error-plugin" }).onError({ as: "global" }, ({ code, error, set, request }) => {
    const requestId = String(set.headers["x-request-id"] ?? "");
    set.headers["content-type"] = "application/json";
    if (error instanceof AppError) {
      set.status = error.status;
      Object.assign(set.headers, error.headers);
      return errorBody(error.errorCode, error.message, requestId, error.details);
    }
    switch (code) {
      case "VALIDATION":
        set.status = 400;
        return errorBody("VALIDATION_ERROR", "Request is invalid", requestId, validationDetails(error));
      case "PARSE":
        set.status = 400;
        return errorBody("VALIDATION_ERROR", "Request body is not valid JSON", requestId);
      case "NOT_FOUND": {
        const allowed = options.allowedMethods?.(requestPath(request.url)) ?? [];
        if (allowed.length === 0) {
          set.status = 404;
          return errorBody("NOT_FOUND", "No such route", requestId);
        }
        set.status = 405;
        set.headers.allow = allowed.join(", ");
        return errorBody("METHOD_NOT_ALLOWED", `${request.method} is not allowed here`, requestId, {
          allowed,
        });
      }
    }
    // Bun answers an over-limit body with this status before parsing; keep the contract shape.
    if ((error as { status?: number }).status === 413) {
      set.status = 413;
      return errorBody("PAYLOAD_TOO_LARGE", "Request body is too large", requestId);
    }
    set.status = 500;
    logger.error("unhandled error", {
      "trace.id": requestId,
      "url.path": requestPath(request.url),
      "error.type": error instanceof Error ? error.name : typeof error,
      "error.message": error instanceof Error ? error.message : String(error),
      "error.stack_trace": error instanceof Error ? error.stack : undefined,
    });
    return errorBody("INTERNAL_ERROR", "Something went wrong; the request id helps us find it", requestId);
  });
}
