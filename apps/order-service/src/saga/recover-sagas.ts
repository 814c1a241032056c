import { releaseStock } from "./release-stock.ts";
import type { CallContext, SagaDeps } from "./saga-deps.ts";
import { settleStock } from "./settle-stock.ts";

export type RecoveryOptions = {
  /** Sagas younger than this may still belong to a running request; they are left alone. */
  graceMs: number;
  /** How long a claimed saga stays reserved for this replica before another may retry it. */
  leaseMs?: number;
  batchSize?: number;
  idempotencyTtlHours: number;
};

export type RecoveryReport = {
  completed: number;
  rolledBack: number;
  releasesFinished: number;
  settlesFinished: number;
  errors: number;
};

/**
 * One recovery pass. For every saga stuck in "reserving" it asks the product service what happened:
 * a reservation exists → the order is completed (visible as pending); otherwise `release` records a
 * tombstone (so a late reserve cannot take stock) and the saga is marked failed. Cancelled orders whose
 * release was not confirmed are released again, and shipped orders whose settle was not confirmed are
 * settled again (both idempotent on the product side). Old idempotency keys are dropped last.
 */
export async function recoverSagas(
  deps: SagaDeps,
  options: RecoveryOptions,
  ctx: CallContext,
): Promise<RecoveryReport> {
  const report: RecoveryReport = {
    completed: 0,
    rolledBack: 0,
    releasesFinished: 0,
    settlesFinished: 0,
    errors: 0,
  };
  const now = deps.clock();
  const olderThan = new Date(now.getTime() - options.graceMs);
  const leaseMs = options.leaseMs ?? 30_000;
  const batch = options.batchSize ?? 50;
  const products = deps.clients.products.withRequestId(ctx.requestId);

  for (const orderId of await deps.orders.claimUnfinishedSagas(olderThan, leaseMs, batch)) {
    try {
      const { status } = await products.getReservation.query({ orderId });
      // "settled" (the stock is sold) only follows "reserved": the stock stays taken either way.
      if (status === "reserved" || status === "settled") {
        if (await deps.orders.markReserved(orderId)) deps.metrics.orderPlaced();
        deps.metrics.sagaRecovered("completed");
        report.completed++;
        ctx.log.info("saga recovered: order completed", { "order.id": orderId });
      } else {
        await products.release.mutate({ orderId });
        await deps.orders.markFailed(orderId);
        deps.metrics.sagaRecovered("rolled_back");
        report.rolledBack++;
        ctx.log.info("saga recovered: order rolled back", { "order.id": orderId, reservation: status });
      }
    } catch (error) {
      await deps.orders.dropLease(orderId);
      deps.metrics.sagaRecovered("error");
      report.errors++;
      ctx.log.warn("saga recovery failed; will retry", {
        "order.id": orderId,
        "error.message": (error as Error).message,
      });
    }
  }

  for (const orderId of await deps.orders.claimPendingReleases(olderThan, leaseMs, batch)) {
    if (await releaseStock(deps, orderId, ctx)) {
      deps.metrics.sagaRecovered("release_finished");
      report.releasesFinished++;
    } else {
      await deps.orders.dropLease(orderId);
      deps.metrics.sagaRecovered("error");
      report.errors++;
    }
  }

  for (const orderId of await deps.orders.claimPendingSettles(olderThan, leaseMs, batch)) {
    if (await settleStock(deps, orderId, ctx)) {
      deps.metrics.sagaRecovered("settle_finished");
      report.settlesFinished++;
    } else {
      await deps.orders.dropLease(orderId);
      deps.metrics.sagaRecovered("error");
      report.errors++;
    }
  }

  await deps.idempotency.deleteOlderThan(new Date(now.getTime() - options.idempotencyTtlHours * 3_600_000));
  return report;
}
