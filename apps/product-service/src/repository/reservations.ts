import { randomUUID } from "node:crypto";
import type { Clock } from "@ecom/service-kit";
import type { ProductModel } from "../models/product-model.ts";
import type { ReservationModel } from "../models/reservation-model.ts";
import type {
  CancelResult,
  ReleaseResult,
  ReservationStatus,
  ReserveResult,
  SettleResult,
} from "../schemas/reservation.ts";
import { withDbErrors } from "./db-errors.ts";
import { createReservationLease } from "./reservation-lease.ts";
import { createReservationRecords, type Reservation } from "./reservation-records.ts";
import { createReserveRun } from "./reserve-run.ts";
import { dropHolds, type Line, returnAll } from "./stock-holds.ts";

/**
 * Stock reservations for orders, one record per order id, without multi-document transactions: the
 * states, the write order and why every crash point is safe are in the service README.
 */
export function createReservationRepository(deps: {
  products: ProductModel;
  reservations: ReservationModel;
  clock: Clock;
  /** How long a reserve call owns a `reserving` record before another call may take it over. */
  leaseMs: number;
}) {
  const { products, clock } = deps;
  const records = createReservationRecords(deps.reservations, clock);
  const lease = createReservationLease({
    reservations: deps.reservations,
    clock,
    leaseMs: deps.leaseMs,
    load: records.load,
  });
  const { run, awaitOutcome } = createReserveRun({ products, records, lease, clock });
  // Idempotent: only lines the order still holds are given back or dropped.
  const giveBack = (record: Reservation) => returnAll(products, record._id, record.items, clock.now());
  const drop = (record: Reservation) => dropHolds(products, record._id, record.items, clock.now());

  /** Rolls back an abandoned `reserving` record; false when someone else changed it first. */
  async function abandon(record: Reservation): Promise<boolean> {
    if (!(await records.releaseAbandoned(record))) return false;
    await giveBack(record);
    return true;
  }

  return withDbErrors({
    async reserve(orderId: string, items: Line[]): Promise<ReserveResult> {
      const owner = randomUUID();
      const record: Reservation = {
        _id: orderId,
        status: "reserving",
        items,
        owner,
        leaseUntil: lease.until(),
      };
      if (!(await records.insertReserving(record))) return awaitOutcome(orderId);
      return run(record, owner);
    },

    async release(orderId: string): Promise<ReleaseResult> {
      for (;;) {
        const record = await lease.waitForOwner(orderId);
        if (!record) {
          if (await records.insertTombstone(orderId)) return { status: "none_held" };
          continue;
        }
        if (record.status === "released") {
          // Normally a no-op; finishes a give-back that an earlier release was cut off in.
          await giveBack(record);
          return { status: "already_released" };
        }
        // Shipped: the stock is sold, never given back.
        if (record.status === "settled") return { status: "already_settled" };
        if (record.status === "reserved") {
          if (!(await records.endReserved(orderId, "released"))) continue;
          await giveBack(record);
          return { status: "released" };
        }
        if (await abandon(record)) return { status: "released" };
      }
    },

    async settle(orderId: string): Promise<SettleResult> {
      for (;;) {
        const record = await lease.waitForOwner(orderId);
        // Nothing to settle, and nothing written: only a release leaves a tombstone.
        if (!record) return { status: "none_held" };
        if (record.status === "released") return { status: "released" };
        if (record.status === "settled") {
          // Normally a no-op; finishes the drops of a settle that was cut off after the flip.
          await drop(record);
          return { status: "already_settled" };
        }
        if (record.status === "reserved") {
          if (!(await records.endReserved(orderId, "settled"))) continue;
          await drop(record);
          return { status: "settled" };
        }
        // An abandoned reserve: finish it first (the order side only settles what it saw reserved).
        await awaitOutcome(orderId);
      }
    },

    /** The record's state as stored, at once: a live reserve is reported as `reserving`, not waited for. */
    async getReservation(orderId: string): Promise<ReservationStatus> {
      const record = await records.load(orderId);
      return { status: record?.status ?? "none" };
    },

    /**
     * Recovery's single step for an order whose reserve it never saw answered. Each branch is one
     * conditional write or none, so nothing can land between reading the state and acting on it; a
     * reserve under a live lease is left to finish (`in_progress`: its takes could land after a
     * give-back).
     */
    async cancel(orderId: string): Promise<CancelResult> {
      for (;;) {
        const record = await records.load(orderId);
        if (!record) {
          if (await records.insertTombstone(orderId)) return { status: "cancelled" };
          continue;
        }
        if (record.status === "reserved" || record.status === "settled") return { status: record.status };
        if (record.status === "released") {
          // Normally a no-op; finishes a give-back that an earlier cancel or release was cut off in.
          await giveBack(record);
          return { status: "already_released" };
        }
        if (lease.isLive(record)) return { status: "in_progress" };
        if (await abandon(record)) return { status: "cancelled" };
      }
    },
  });
}

export type ReservationRepository = ReturnType<typeof createReservationRepository>;
