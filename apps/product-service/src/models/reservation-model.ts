import type { Clock } from "@ecom/service-kit";
import { type Connection, type InferSchemaType, Schema } from "mongoose";

const lineSchema = new Schema(
  {
    productId: { type: String, required: true },
    requested: { type: Number, required: true },
    available: { type: Number, required: true },
  },
  { _id: false },
);

const itemSchema = new Schema(
  {
    productId: { type: String, required: true },
    quantity: { type: Number, required: true },
    /** The price and name the line may be taken at (see `reserveLine`); absent when any will do. */
    priceCents: { type: Number },
    productName: { type: String },
  },
  { _id: false },
);

/**
 * One record per order id, the reservation's state machine:
 * `reserving` (a reserve call owns it until `leaseUntil`) → `reserved` | `released` (final);
 * `reserved` → `released` (cancelled) or `settled` (shipped: the stock is sold, the holds are dropped).
 * `taken` lists the product ids whose stock this order holds once it is `reserved`, for operators; it is
 * written with that status, never read back: the authoritative holds live on the product documents
 * themselves (see product-model.ts), and resume and rollback work from those.
 */
export function createReservationSchema(clock: Clock) {
  return new Schema(
    {
      _id: { type: String, required: true },
      status: { type: String, required: true, enum: ["reserving", "reserved", "settled", "released"] },
      items: { type: [itemSchema], default: [] },
      taken: { type: [String], default: [] },
      owner: { type: String },
      leaseUntil: { type: Date },
      /** Why a reserve failed, so a retry with the same order id gets the same answer. */
      failure: {
        type: new Schema(
          {
            reason: { type: String, required: true },
            shortages: { type: [lineSchema], default: [] },
          },
          { _id: false },
        ),
      },
    },
    {
      collection: "reservations",
      versionKey: false,
      timestamps: { currentTime: () => clock.now() },
      autoIndex: false,
      autoCreate: false,
    },
  );
}

export type ReservationRecord = InferSchemaType<ReturnType<typeof createReservationSchema>>;

export function createReservationModel(connection: Connection, clock: Clock) {
  return connection.model("Reservation", createReservationSchema(clock));
}

export type ReservationModel = ReturnType<typeof createReservationModel>;
