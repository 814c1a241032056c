import type { Clock } from "@ecom/service-kit";
import type { mongo } from "mongoose";
import type { ReservationModel } from "../models/reservation-model.ts";
import type { FailureReason, Shortage } from "../schemas/reservation.ts";
import { isDuplicateKey } from "./db-errors.ts";
import type { Line } from "./stock-holds.ts";

/** Why a reserve failed, stored so that a retry with the same order id gets the same answer. */
export type Failure = { reason: FailureReason; shortages: Shortage[] };

/** A reservation record as this code reads it; the states are described in the service README. */
export type Reservation = {
  _id: string;
  status: "reserving" | "reserved" | "settled" | "released";
  items: Line[];
  owner?: string | null;
  leaseUntil?: Date | null;
  failure?: Failure | null;
};

/** A record as written, timestamps included (the driver-level writes set them themselves). */
type Written = Reservation & { taken: string[]; createdAt: Date; updatedAt: Date };

/** How an owned `reserving` record ends; `taken` is for operators and never read back. */
type Ending = { status: "reserved"; taken: string[] } | { status: "released"; failure: Failure; taken: [] };

/**
 * The state changes of the reservation records. Each is one conditional single-document write, so of
 * concurrent callers exactly one wins, and each answers whether this caller did.
 */
export function createReservationRecords(reservations: ReservationModel, clock: Clock) {
  // The model's collection typed with our string ids (mongoose types it for ObjectId ids).
  const collection = reservations.collection as unknown as mongo.Collection<Written>;

  /** Runs `insert`; false when the order id has a record already (duplicate `_id`). */
  async function insertUnlessExists(insert: () => Promise<unknown>): Promise<boolean> {
    try {
      await insert();
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  return {
    load: (orderId: string) => reservations.findById(orderId).lean<Reservation>(),

    /**
     * A new `reserving` record; false when the order id has one already. Through the driver, with the
     * fields `create` would write: the input is already validated (strict schema), and building a
     * mongoose document per order was the reserve's largest cost.
     */
    insertReserving(record: Reservation): Promise<boolean> {
      const now = clock.now();
      return insertUnlessExists(() =>
        collection.insertOne({ ...record, taken: [], createdAt: now, updatedAt: now }),
      );
    },

    /** A `released` record for an order nothing was reserved for: a reserve arriving later is refused. */
    insertTombstone(orderId: string): Promise<boolean> {
      return insertUnlessExists(() => reservations.create({ _id: orderId, status: "released", items: [] }));
    },

    /**
     * Ends a `reserving` record `owner` still owns; false when another call took it over meanwhile.
     * Through the driver: mongoose would hydrate the returned record only to test it for null.
     */
    async finish(orderId: string, owner: string, ending: Ending): Promise<boolean> {
      const updated = await collection.updateOne(
        { _id: orderId, status: "reserving", owner },
        { $set: { ...ending, updatedAt: clock.now() }, $unset: { owner: 1, leaseUntil: 1 } },
      );
      return updated.matchedCount === 1;
    },

    /** `reserved` → `released` (cancelled) or `settled` (shipped); false when no longer `reserved`. */
    async endReserved(orderId: string, status: "released" | "settled"): Promise<boolean> {
      const won = await reservations.findOneAndUpdate(
        { _id: orderId, status: "reserved" },
        { $set: { status, taken: [] } },
      );
      return won !== null;
    },

    /** An abandoned `reserving` record → `released`; false when its owner changed since it was read. */
    async releaseAbandoned(record: Reservation): Promise<boolean> {
      const updated = await reservations.findOneAndUpdate(
        { _id: record._id, status: "reserving", owner: record.owner ?? null },
        {
          $set: { status: "released", failure: { reason: "RELEASED", shortages: [] }, taken: [] },
          $unset: { owner: 1, leaseUntil: 1 },
        },
      );
      return updated !== null;
    },
  };
}

export type ReservationRecords = ReturnType<typeof createReservationRecords>;
