import type { RecoveryOutcome as Outcome } from "../metrics/order-metrics.ts";
import type { Claim, RecoveryKind } from "../repository/orders-repository.ts";
import { releaseStock } from "./release-stock.ts";
import type { CallContext, SagaClients, SagaDeps } from "./saga-deps.ts";
import { settleStock } from "./settle-stock.ts";

export type RecoveryOptions = {
  /** Sagas younger than this may still belong to a running request; they are left alone. */
  graceMs: number;
  /** How long a claimed row stays reserved for this replica before another may retry it. */
  leaseMs: number;
  /** At most this many rows of each kind per pass, so one pass never runs unbounded. */
  batchSize?: number;
  idempotencyTtlHours: number;
};

export type RecoveryReport = {
  completed: number;
  rolledBack: number;
  releasesFinished: number;
  settlesFinished: number;
  /** Rows left for a later pass: a call that failed, or a reserve still running on the catalog. */
  errors: number;
  /**
   * How long until a row becomes claimable that this pass could not take yet (young, or leased), or 0
   * when a batch was full; undefined when nothing waits. Rows left after a failure are not counted.
   */
  nextInMs?: number;
};

/**
 * One recovery pass. Each row is claimed on its own, worked on and given back, so a crash strands at
 * most the one row in hand, for one lease. For every saga stuck in "reserving" the product service
 * is asked to `cancel` its reservation, which it does in one conditional step unless a reserve
 * completed it: "reserved" (or "settled") → the order is completed (visible as pending); "cancelled"
 * or "already_released" → the saga is marked failed and no reserve can take stock for it any more;
 * "in_progress" → a reserve is running right now, asked again next pass. Cancelled orders whose
 * release was not confirmed are released again, and shipped orders whose settle was not confirmed
 * are settled again (both idempotent on the product side). Old idempotency keys are dropped last.
 */
export async function recoverSagas(
  deps: SagaDeps<SagaClients>,
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
  const now = deps.clock.now();
  const olderThan = new Date(now.getTime() - options.graceMs);
  const batch = options.batchSize ?? 50;
  const count: Record<Outcome, () => void> = {
    completed: () => report.completed++,
    rolled_back: () => report.rolledBack++,
    release_finished: () => report.releasesFinished++,
    settle_finished: () => report.settlesFinished++,
    error: () => report.errors++,
  };

  let batchFull = false;
  for (const kind of ["saga", "release", "settle"] as const) {
    let worked = 0;
    for (; worked < batch; worked++) {
      const claim = await deps.orders.claimNext(kind, olderThan, options.leaseMs);
      if (!claim) break;
      const outcome = await work(deps, kind, claim, ctx);
      deps.metrics.sagaRecovered(outcome);
      count[outcome]();
    }
    if (worked === batch) batchFull = true;
  }

  await deps.idempotency.deleteOlderThan(new Date(now.getTime() - options.idempotencyTtlHours * 3_600_000));
  // A full batch without failures means more work is waiting now; after failures, the regular tick.
  const next = batchFull && report.errors === 0 ? now : await deps.orders.nextClaimableAt(options.graceMs);
  if (next) report.nextInMs = Math.max(0, next.getTime() - deps.clock.now().getTime());
  return report;
}

/** Works one claimed row and gives the claim back on every path, so no row waits out a lease needlessly. */
async function work(
  deps: SagaDeps<SagaClients>,
  kind: RecoveryKind,
  claim: Claim,
  ctx: CallContext,
): Promise<Outcome> {
  try {
    if (kind === "release") return (await releaseStock(deps, claim.id, ctx)) ? "release_finished" : "error";
    if (kind === "settle") return (await settleStock(deps, claim.id, ctx)) ? "settle_finished" : "error";
    return await finishSaga(deps, claim.id, ctx);
  } catch (error) {
    ctx.log.warn("saga recovery failed; will retry", {
      "order.id": claim.id,
      "error.message": (error as Error).message,
    });
    return "error";
  } finally {
    // With the database unreachable the lease cannot be dropped; it then simply runs out.
    await deps.orders.dropLease(claim).catch(() => undefined);
  }
}

async function finishSaga(deps: SagaDeps<SagaClients>, orderId: string, ctx: CallContext): Promise<Outcome> {
  const products = deps.clients.products.withRequestId(ctx.requestId);
  const { status } = await products.cancel.mutate({ orderId });
  // "settled" (the stock is sold) only follows "reserved": the stock stays taken either way.
  if (status === "reserved" || status === "settled") {
    if (await deps.orders.markReserved(orderId)) deps.metrics.orderPlaced();
    ctx.log.info("saga recovered: order completed", { "order.id": orderId });
    return "completed";
  }
  if (status === "in_progress") {
    ctx.log.info("saga recovery: reserve still running; will retry", { "order.id": orderId });
    return "error";
  }
  await deps.orders.markFailed(orderId);
  ctx.log.info("saga recovered: order rolled back", { "order.id": orderId, reservation: status });
  return "rolled_back";
}
