import type { Clock } from "@ecom/service-kit";
import type { ReservationModel } from "../models/reservation-model.ts";
import type { Reservation } from "./reservation-records.ts";

const POLL_MS = 20;

/**
 * Who may work on a `reserving` record: its `owner`, until `leaseUntil`. A call that died leaves its
 * lease to run out; then the next call takes the record over and resumes or rolls it back.
 */
export function createReservationLease(deps: {
  reservations: ReservationModel;
  clock: Clock;
  /** How long a reserve call owns a `reserving` record before another call may take it over. */
  leaseMs: number;
  load: (orderId: string) => Promise<Reservation | null>;
}) {
  const { reservations, clock } = deps;
  const until = () => new Date(clock.now().getTime() + deps.leaseMs);
  const isLive = (record: Reservation) => (record.leaseUntil?.getTime() ?? 0) > clock.now().getTime();

  return {
    /** The end of a lease taken now. */
    until,
    isLive,

    /** Waits while another call owns the record; returns it once settled or its owner's lease ran out. */
    async waitForOwner(orderId: string): Promise<Reservation | null> {
      for (;;) {
        const record = await deps.load(orderId);
        if (record?.status !== "reserving" || !isLive(record)) return record;
        await Bun.sleep(POLL_MS);
      }
    },

    /** Takes over an abandoned `reserving` record; false when someone else got it first. */
    async takeOver(record: Reservation, owner: string): Promise<boolean> {
      const updated = await reservations.findOneAndUpdate(
        { _id: record._id, status: "reserving", owner: record.owner ?? null },
        { $set: { owner, leaseUntil: until() } },
      );
      return updated !== null;
    },

    /**
     * Ends `owner`'s lease at once, when possible: its call failed half-way (the database went away),
     * so the caller's retry resumes at once instead of waiting for the lease to run out.
     */
    async drop(orderId: string, owner: string): Promise<void> {
      await reservations
        .updateOne({ _id: orderId, owner }, { $set: { leaseUntil: new Date(0) } })
        .catch(() => undefined);
    },
  };
}

export type ReservationLease = ReturnType<typeof createReservationLease>;
