import { errorBody } from "@ecom/errors";

/** The gateway's own failures, in the same shape the services use. */
export function jsonError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  details?: unknown,
): Response {
  return Response.json(errorBody(code, message, requestId, details), {
    status,
    headers: { "x-request-id": requestId },
  });
}
