import type { CallContext, SagaClients, SagaDeps } from "./saga-deps.ts";

/**
 * Gives a cancelled order's stock back. The product service releases a reservation once, so calling
 * this again (from recovery, or after a crash) never returns stock twice. False when it could not
 * reach the product service; `release_pending` stays set and recovery finishes the job.
 */
export async function releaseStock(
  deps: SagaDeps<SagaClients>,
  orderId: string,
  ctx: CallContext,
): Promise<boolean> {
  try {
    const { status } = await deps.clients.products.withRequestId(ctx.requestId).release.mutate({ orderId });
    await deps.orders.markStockReleased(orderId);
    ctx.log.info("order stock released", { "order.id": orderId, "release.status": status });
    return true;
  } catch (error) {
    ctx.log.warn("stock release deferred to recovery", {
      "order.id": orderId,
      "error.message": (error as Error).message,
    });
    return false;
  }
}
