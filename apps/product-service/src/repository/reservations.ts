import { randomUUID } from "node:crypto";
import type { Clock } from "@ecom/service-kit";
import type { mongo } from "mongoose";
import type { ProductModel } from "../models/product-model.ts";
import type { ReservationModel } from "../models/reservation-model.ts";
import type {
  CancelResult,
  FailureReason,
  ReleaseResult,
  ReservationStatus,
  ReserveResult,
  SettleResult,
  Shortage,
} from "../schemas/reservation.ts";
import { isDuplicateKey, withDbErrors } from "./db-errors.ts";
import { dropHolds, heldBy, type Line, returnAll, takeHolds } from "./stock-holds.ts";

type Deps = {
  products: ProductModel;
  reservations: ReservationModel;
  clock: Clock;
  /** How long a reserve call owns a `reserving` record before another call may take it over. */
  leaseMs: number;
};

type Stored = {
  _id: string;
  status: "reserving" | "reserved" | "settled" | "released";
  items: Line[];
  owner?: string | null;
  leaseUntil?: Date | null;
  failure?: { reason: FailureReason; shortages: Shortage[] } | null;
};

/** A record as written, timestamps included (the driver-level writes set them themselves). */
type Written = Stored & { taken: string[]; createdAt: Date; updatedAt: Date };

const POLL_MS = 20;
const RESERVED: ReserveResult = { ok: true, status: "reserved" };

/**
 * Stock reservations for orders, one record per order id, without multi-document transactions.
 *
 * Crash safety: the truth about what an order holds lives on the product documents (`holds`), written
 * in the same atomic update that moves the stock, so taking and giving back are each idempotent per
 * (order, product). The reservation record only says who is working on the order (`owner` until
 * `leaseUntil`) and how it ended. If the service dies mid-reserve, the record stays `reserving`; once
 * its lease runs out, the next `reserve` for that order takes it over and resumes (lines already held
 * are skipped, never taken twice), and the next `release` or `cancel` rolls it back. A release that
 * dies while giving back is finished by the next `release` or `cancel` call.
 *
 * A shipped order is settled: the record flips `reserved` → `settled` (one conditional update, so one
 * caller wins and a release can no longer give the stock back), then the order's holds are dropped
 * from its products without returning stock. A settle that dies between the two is finished by the
 * next `settle`, which drops the remaining holds again (idempotent per product).
 *
 * A failed reserve (short or unavailable) gives back what it took and ends `released` with its
 * answer stored: a retry with the same order id gets the same answer instead of a second attempt, so
 * the order side can retry blindly and every order id has one outcome. A new attempt needs a new id.
 * The first call's items define the reservation; a retry's items are not re-read.
 *
 * Round trips (the embedded mongo server runs one command at a time, so each one counts): a reserve
 * that succeeds is three commands: create the record, one ordered bulk write with every line's
 * conditional take, `finish`. There is no separate "are the products active" query, because each take
 * matches only an active product with enough stock (and, when the line names them, the price and name
 * the caller priced it with); a line that did not match is explained afterwards,
 * on the failure path only (which lines does this order already hold, i.e. a resumed call; then give
 * everything back and read the products once to tell PRODUCT_UNAVAILABLE from INSUFFICIENT_STOCK).
 * Nor is each taken line written to the record as it goes: resume and rollback never read such a
 * list, they replay `items` against the holds on the products (a take matches only where the order
 * holds nothing, a give-back only where it holds that hold), so they stay idempotent without it and a
 * per-line write would only add a round trip. `taken` is written once by `finish`, for operators.
 * A line after a refused one is still taken by the bulk write (a non-match is not an error) and given
 * back at once; like the lines before it, its stock is briefly out of reach of concurrent orders.
 *
 * Limit: a call that stalls for longer than the lease while still alive can race the call that took
 * it over; the lease (10 s by default) is far above a reserve's normal few milliseconds.
 */
export function reservationRepository(deps: Deps) {
  const { products, reservations, clock } = deps;
  // The model's collection typed with our string ids (mongoose types it for ObjectId ids).
  const records = reservations.collection as unknown as mongo.Collection<Written>;
  const leaseUntil = () => new Date(clock.now().getTime() + deps.leaseMs);
  const load = (orderId: string) => reservations.findById(orderId).lean<Stored>();
  const leaseLive = (record: Stored) => (record.leaseUntil?.getTime() ?? 0) > clock.now().getTime();
  const outcomeOf = (record: Stored): ReserveResult =>
    record.status === "reserved" || record.status === "settled"
      ? RESERVED
      : { ok: false, ...(record.failure ?? { reason: "RELEASED", shortages: [] }) };

  /**
   * Ends an owned reservation; false when another call took it over meanwhile. Sent through the
   * driver (the fields are built here, so there is nothing to cast): mongoose would hydrate the
   * returned record into a document only to test it for null, on every order.
   */
  async function finish(orderId: string, owner: string, set: Record<string, unknown>): Promise<boolean> {
    const updated = await records.updateOne(
      { _id: orderId, status: "reserving", owner },
      { $set: { ...set, updatedAt: clock.now() }, $unset: { owner: 1, leaseUntil: 1 } },
    );
    return updated.matchedCount === 1;
  }

  async function fail(record: Stored, owner: string, reason: FailureReason, shortages: Shortage[]) {
    const failure = { reason, shortages };
    if (!(await finish(record._id, owner, { status: "released", failure, taken: [] })))
      return awaitOutcome(record._id);
    return { ok: false as const, ...failure };
  }

  /**
   * Some line was not taken (`refused`): gives back whatever this order holds, then reads the products
   * once to answer, in this order: PRODUCT_UNAVAILABLE (missing or inactive), CATALOG_CHANGED (a line's
   * price or name is no longer the one it was sent with: the caller re-prices, and may then still be
   * short) or INSUFFICIENT_STOCK with every short line. Only the failure path pays for this read.
   */
  async function refuse(record: Stored, owner: string, refused: Line[]): Promise<ReserveResult> {
    await returnAll(products, record._id, record.items, clock.now());
    const found = await products
      .find(
        { _id: { $in: record.items.map((l) => l.productId) } },
        { stock: 1, isActive: 1, priceCents: 1, name: 1 },
      )
      .lean<{ _id: string; stock: number; isActive: boolean; priceCents: number; name: string }[]>();
    const byId = new Map(found.map((p) => [p._id, p]));
    const unavailable = record.items.filter((l) => !byId.get(l.productId)?.isActive);
    if (unavailable.length > 0)
      return fail(
        record,
        owner,
        "PRODUCT_UNAVAILABLE",
        unavailable.map((l) => ({ productId: l.productId, requested: l.quantity, available: 0 })),
      );
    const changed = record.items.filter((l) => {
      const product = byId.get(l.productId);
      return (
        (l.priceCents !== undefined && l.priceCents !== product?.priceCents) ||
        (l.name !== undefined && l.name !== product?.name)
      );
    });
    if (changed.length > 0)
      return fail(
        record,
        owner,
        "CATALOG_CHANGED",
        changed.map((l) => ({
          productId: l.productId,
          requested: l.quantity,
          available: byId.get(l.productId)?.stock ?? 0,
        })),
      );
    const shortages = record.items
      .map((l) => ({
        productId: l.productId,
        requested: l.quantity,
        available: byId.get(l.productId)?.stock ?? 0,
      }))
      // A refused line stays in the answer even if stock came back since: it is why this call failed.
      .filter((s) => s.available < s.requested || refused.some((l) => l.productId === s.productId));
    return fail(record, owner, "INSUFFICIENT_STOCK", shortages);
  }

  /**
   * Runs an owned reservation. If it fails half-way (the database went away), the lease is dropped
   * when possible, so the caller's retry resumes at once instead of waiting for the lease to run out.
   */
  async function run(record: Stored, owner: string): Promise<ReserveResult> {
    try {
      return await takeAll(record, owner);
    } catch (error) {
      await reservations
        .updateOne({ _id: record._id, owner }, { $set: { leaseUntil: new Date(0) } })
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * Takes every line for an order whose record this call owns: one bulk write, and in the success case
   * nothing else before `finish`. Lines this order already holds (a resumed call) do not match; only
   * when some line was not taken are the holds read, to tell those from refused lines.
   */
  async function takeAll(record: Stored, owner: string): Promise<ReserveResult> {
    const orderId = record._id;
    const ids = record.items.map((l) => l.productId);
    if (!(await takeHolds(products, orderId, record.items, clock.now()))) {
      const held = await heldBy(products, orderId, ids);
      const refused = record.items.filter((l) => !held.has(l.productId));
      if (refused.length > 0) return refuse(record, owner, refused);
    }
    if (!(await finish(orderId, owner, { status: "reserved", taken: ids }))) return awaitOutcome(orderId);
    return RESERVED;
  }

  /** Waits while another call owns the record; returns it once settled or its owner's lease ran out. */
  async function waitForOwner(orderId: string): Promise<Stored | null> {
    for (;;) {
      const record = await load(orderId);
      if (record?.status !== "reserving" || !leaseLive(record)) return record;
      await Bun.sleep(POLL_MS);
    }
  }

  /** Takes over an abandoned `reserving` record; false when someone else got it first. */
  async function takeOver(record: Stored, owner: string): Promise<boolean> {
    const updated = await reservations.findOneAndUpdate(
      { _id: record._id, status: "reserving", owner: record.owner ?? null },
      { $set: { owner, leaseUntil: leaseUntil() } },
    );
    return updated !== null;
  }

  async function awaitOutcome(orderId: string): Promise<ReserveResult> {
    const owner = randomUUID();
    for (;;) {
      const record = await waitForOwner(orderId);
      if (!record) return { ok: false, reason: "RELEASED", shortages: [] };
      if (record.status !== "reserving") return outcomeOf(record);
      if (await takeOver(record, owner)) return run(record, owner);
    }
  }

  /** Rolls back an abandoned `reserving` record; false when someone else changed it first. */
  async function abandon(record: Stored): Promise<boolean> {
    const updated = await reservations.findOneAndUpdate(
      { _id: record._id, status: "reserving", owner: record.owner ?? null },
      {
        $set: { status: "released", failure: { reason: "RELEASED", shortages: [] }, taken: [] },
        $unset: { owner: 1, leaseUntil: 1 },
      },
    );
    if (updated) await returnAll(products, record._id, record.items, clock.now());
    return updated !== null;
  }

  async function release(orderId: string): Promise<ReleaseResult> {
    for (;;) {
      const record = await waitForOwner(orderId);
      if (!record) {
        try {
          // A tombstone: a reserve arriving after this release is refused (RELEASED).
          await reservations.create({ _id: orderId, status: "released", items: [] });
          return { status: "none_held" };
        } catch (error) {
          if (isDuplicateKey(error)) continue;
          throw error;
        }
      }
      if (record.status === "released") {
        // Normally a no-op; finishes a give-back that an earlier release was cut off in.
        await returnAll(products, orderId, record.items, clock.now());
        return { status: "already_released" };
      }
      // Shipped: the stock is sold, never given back.
      if (record.status === "settled") return { status: "already_settled" };
      if (record.status === "reserved") {
        const won = await reservations.findOneAndUpdate(
          { _id: orderId, status: "reserved" },
          { $set: { status: "released", taken: [] } },
        );
        if (!won) continue;
        await returnAll(products, orderId, record.items, clock.now());
        return { status: "released" };
      }
      if (await abandon(record)) return { status: "released" };
    }
  }

  async function settle(orderId: string): Promise<SettleResult> {
    for (;;) {
      const record = await waitForOwner(orderId);
      // Nothing to settle, and nothing written: only a release leaves a tombstone.
      if (!record) return { status: "none_held" };
      if (record.status === "released") return { status: "released" };
      if (record.status === "settled") {
        // Normally a no-op; finishes the drops of a settle that was cut off after the flip.
        await dropHolds(products, orderId, record.items, clock.now());
        return { status: "already_settled" };
      }
      if (record.status === "reserved") {
        const won = await reservations.findOneAndUpdate(
          { _id: orderId, status: "reserved" },
          { $set: { status: "settled", taken: [] } },
        );
        if (!won) continue;
        await dropHolds(products, orderId, record.items, clock.now());
        return { status: "settled" };
      }
      // An abandoned reserve: finish it first (the order side only settles what it saw reserved).
      await awaitOutcome(orderId);
    }
  }

  /**
   * Recovery's single step for an order whose reserve it never saw answered: ends the reservation
   * unless a reserve completed it. Each branch is one conditional write or none, so there is no
   * window between reading the state and acting on it: a reserve that lands after the tombstone is
   * refused, and a reservation that is `reserved` is reported, never given back. A reserve still
   * running under a live lease is not interrupted (its takes could land after a give-back): the
   * answer is `in_progress` and the caller asks again later.
   */
  async function cancel(orderId: string): Promise<CancelResult> {
    for (;;) {
      const record = await load(orderId);
      if (!record) {
        try {
          await reservations.create({ _id: orderId, status: "released", items: [] });
          return { status: "cancelled" };
        } catch (error) {
          if (isDuplicateKey(error)) continue;
          throw error;
        }
      }
      if (record.status === "reserved" || record.status === "settled") return { status: record.status };
      if (record.status === "released") {
        // Normally a no-op; finishes a give-back that an earlier cancel or release was cut off in.
        await returnAll(products, orderId, record.items, clock.now());
        return { status: "already_released" };
      }
      if (leaseLive(record)) return { status: "in_progress" };
      if (await abandon(record)) return { status: "cancelled" };
    }
  }

  return withDbErrors({
    async reserve(orderId: string, items: Line[]): Promise<ReserveResult> {
      const owner = randomUUID();
      const record: Stored = { _id: orderId, status: "reserving", items, owner, leaseUntil: leaseUntil() };
      const now = clock.now();
      try {
        // Through the driver, with the fields `create` would write: the input is already validated
        // (strict schema), and building a mongoose document per order was the reserve's largest cost.
        await records.insertOne({ ...record, taken: [], createdAt: now, updatedAt: now });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        return awaitOutcome(orderId);
      }
      return run(record, owner);
    },

    release,

    settle,

    /** The record's state as stored, at once: a live reserve is reported as `reserving`, not waited for. */
    async getReservation(orderId: string): Promise<ReservationStatus> {
      const record = await load(orderId);
      return { status: record?.status ?? "none" };
    },

    cancel,
  });
}

export type ReservationRepository = ReturnType<typeof reservationRepository>;
