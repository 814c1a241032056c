import type { CallContext, SagaClients, SagaDeps } from "./saga-deps.ts";

/**
 * Tells the product service a shipped order's stock is sold, so it drops the order's holds from its
 * products (no stock moves). Settling is idempotent there, so calling this again (from recovery, or
 * after a crash) is harmless. False when it could not reach the product service; `settle_pending`
 * stays set and recovery finishes the job.
 */
export async function settleStock(
  deps: SagaDeps<SagaClients>,
  orderId: string,
  ctx: CallContext,
): Promise<boolean> {
  try {
    const { status } = await deps.clients.products.withRequestId(ctx.requestId).settle.mutate({ orderId });
    await deps.orders.markStockSettled(orderId);
    const fields = { "order.id": orderId, "settle.status": status };
    // A shipped order was reserved; any other answer means the two services disagree, worth a look.
    if (status === "settled" || status === "already_settled") ctx.log.info("order stock settled", fields);
    else ctx.log.warn("settle found no reservation to settle", fields);
    return true;
  } catch (error) {
    ctx.log.warn("stock settle deferred to recovery", {
      "order.id": orderId,
      "error.message": (error as Error).message,
    });
    return false;
  }
}
