import { randomUUID } from "node:crypto";
import type { Clock } from "@ecom/service-kit";
import type { ProductModel } from "../models/product-model.ts";
import type { ReserveResult } from "../schemas/reservation.ts";
import { diagnoseRefusal, type ProductNow } from "./refusal-diagnosis.ts";
import type { ReservationLease } from "./reservation-lease.ts";
import type { Failure, Reservation, ReservationRecords } from "./reservation-records.ts";
import { heldBy, type Line, returnAll, takeHolds } from "./stock-holds.ts";

const RESERVED: ReserveResult = { ok: true, status: "reserved" };

/**
 * A reserve's work on the order's lines: `run` for a record this call owns, `awaitOutcome` for one
 * another call owns (wait for its answer, or take the record over once its lease ran out and resume).
 */
export function createReserveRun(deps: {
  products: ProductModel;
  records: ReservationRecords;
  lease: ReservationLease;
  clock: Clock;
}) {
  const { products, records, lease, clock } = deps;

  const outcomeOf = (record: Reservation): ReserveResult =>
    record.status === "reserved" || record.status === "settled"
      ? RESERVED
      : { ok: false, ...(record.failure ?? { reason: "RELEASED", shortages: [] }) };

  async function fail(record: Reservation, owner: string, failure: Failure): Promise<ReserveResult> {
    if (!(await records.finish(record._id, owner, { status: "released", failure, taken: [] })))
      return awaitOutcome(record._id);
    return { ok: false, ...failure };
  }

  /** Gives back whatever the order holds, then reads the products once to answer; only failures pay. */
  async function refuse(record: Reservation, owner: string, refused: Line[]): Promise<ReserveResult> {
    await returnAll(products, record._id, record.items, clock.now());
    const found = await products
      .find(
        { _id: { $in: record.items.map((l) => l.productId) } },
        { stock: 1, isActive: 1, priceCents: 1, name: 1 },
      )
      .lean<ProductNow[]>();
    return fail(record, owner, diagnoseRefusal(record.items, refused, found));
  }

  /**
   * One bulk write, and in the success case nothing else before `finish`. Lines this order already
   * holds (a resumed call) do not match; only when some line was not taken are the holds read, to
   * tell those from refused lines.
   */
  async function takeAll(record: Reservation, owner: string): Promise<ReserveResult> {
    const orderId = record._id;
    const ids = record.items.map((l) => l.productId);
    if (!(await takeHolds(products, orderId, record.items, clock.now()))) {
      const held = await heldBy(products, orderId, ids);
      const refused = record.items.filter((l) => !held.has(l.productId));
      if (refused.length > 0) return refuse(record, owner, refused);
    }
    if (!(await records.finish(orderId, owner, { status: "reserved", taken: ids })))
      return awaitOutcome(orderId);
    return RESERVED;
  }

  async function run(record: Reservation, owner: string): Promise<ReserveResult> {
    try {
      return await takeAll(record, owner);
    } catch (error) {
      await lease.drop(record._id, owner);
      throw error;
    }
  }

  async function awaitOutcome(orderId: string): Promise<ReserveResult> {
    const owner = randomUUID();
    for (;;) {
      const record = await lease.waitForOwner(orderId);
      if (!record) return { ok: false, reason: "RELEASED", shortages: [] };
      if (record.status !== "reserving") return outcomeOf(record);
      if (await lease.takeOver(record, owner)) return run(record, owner);
    }
  }

  return { run, awaitOutcome };
}
