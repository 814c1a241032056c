import { inspectRequest, type RequestLimits } from "@ecom/request-guard";
import { Elysia } from "elysia";

/**
 * Runs the request guard before routing, so an oversized, deeply nested or NUL-laden request is
 * refused (in the error shape, by the error plugin) before any parser, validator or handler sees it.
 * The body is inspected on a clone; the route still reads the original.
 */
export function requestGuard(limits: RequestLimits) {
  return new Elysia({ name: "request-guard" }).onRequest(async ({ request }) => {
    await inspectRequest(request.body ? request.clone() : request, limits);
  });
}
