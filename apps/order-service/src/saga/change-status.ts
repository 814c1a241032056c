import { ConflictError } from "@ecom/errors";
import { canTransition } from "../domain/order-status.ts";
import type { OrderRecord } from "../repository/orders-repository.ts";
import type { OrderStatus } from "../repository/tables.ts";
import { releaseStock } from "./release-stock.ts";
import type { CallContext, SagaClients, SagaDeps } from "./saga-deps.ts";
import { settleStock } from "./settle-stock.ts";

function invalidTransition(from: OrderStatus, to: OrderStatus): ConflictError {
  return new ConflictError("INVALID_TRANSITION", `An order cannot go from ${from} to ${to}`, { from, to });
}

/**
 * Moves an order along the state machine. The status write is conditional on the status it was read
 * with, so of two concurrent cancels exactly one wins and the other gets 409. A cancel marks
 * "release pending" in that same write, then returns the stock; shipping (after which no cancel is
 * possible) marks "settle pending", then settles the reservation so the catalog drops the order's
 * holds. Either follow-up may fail without failing the committed change: recovery finishes it.
 */
export async function changeStatus(
  deps: SagaDeps<SagaClients>,
  order: OrderRecord,
  to: OrderStatus,
  ctx: CallContext,
): Promise<OrderRecord> {
  if (!canTransition(order.status, to)) throw invalidTransition(order.status, to);
  const updated = await deps.orders.transition(order.id, order.status, to);
  if (!updated) {
    const current = (await deps.orders.findVisible(order.id))?.status ?? order.status;
    throw invalidTransition(current, to);
  }
  ctx.log.info("order status changed", { "order.id": order.id, from: order.status, to });
  if (to === "cancelled") await releaseStock(deps, order.id, ctx);
  if (to === "shipped") await settleStock(deps, order.id, ctx);
  return updated;
}
