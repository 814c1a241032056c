import { DependencyUnavailableError } from "@ecom/errors";
import { createInternalTrpc } from "@ecom/trpc-kit";
import { TRPCError } from "@trpc/server";
import type { ProductRepository } from "../repository/products.ts";
import type { ReservationRepository } from "../repository/reservations.ts";
import { getManyInput, getManyResult } from "../schemas/product.ts";
import {
  cancelResult,
  orderIdInput,
  releaseResult,
  reservationStatus,
  reserveInput,
  reserveResult,
  settleResult,
} from "../schemas/reservation.ts";

const t = createInternalTrpc();

/** A lost database is a 503 for internal callers too, so they retry instead of treating it as a bug. */
const procedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DependencyUnavailableError)
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: result.error.cause.message });
  return result;
});

/**
 * Internal procedures for the order service: prices and names, and the stock reservation saga steps.
 * Each pins its output, so the contract is the schema, not whatever the repository returns.
 */
export function createProductRouter(deps: {
  products: ProductRepository;
  reservations: ReservationRepository;
}) {
  return t.router({
    getMany: procedure
      .input(getManyInput)
      .output(getManyResult)
      .query(({ input }) => deps.products.getMany(input.ids)),
    reserve: procedure
      .input(reserveInput)
      .output(reserveResult)
      .mutation(({ input }) => deps.reservations.reserve(input.orderId, input.items)),
    release: procedure
      .input(orderIdInput)
      .output(releaseResult)
      .mutation(({ input }) => deps.reservations.release(input.orderId)),
    /** A shipped order: its stock is sold; drops the order's holds without giving stock back. */
    settle: procedure
      .input(orderIdInput)
      .output(settleResult)
      .mutation(({ input }) => deps.reservations.settle(input.orderId)),
    /** Recovery: ends an order's reservation in one conditional step unless a reserve completed it. */
    cancel: procedure
      .input(orderIdInput)
      .output(cancelResult)
      .mutation(({ input }) => deps.reservations.cancel(input.orderId)),
    getReservation: procedure
      .input(orderIdInput)
      .output(reservationStatus)
      .query(({ input }) => deps.reservations.getReservation(input.orderId)),
  });
}

export type ProductRouter = ReturnType<typeof createProductRouter>;
