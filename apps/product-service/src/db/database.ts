import type { Clock } from "@ecom/service-kit";
import mongoose from "mongoose";
import { createProductModel } from "../models/product-model.ts";
import { createReservationModel } from "../models/reservation-model.ts";

export type ProductsDatabase = Awaited<ReturnType<typeof openDatabase>>;

/**
 * One mongoose connection of our own (not the global default), so several apps can live in one test
 * process. Commands fail fast instead of queueing while the server is away, so requests answer 503.
 */
export async function openDatabase(options: { url: string; dbName?: string; clock: Clock }) {
  const connection = mongoose.createConnection(options.url, {
    ...(options.dbName ? { dbName: options.dbName } : {}),
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: 3_000,
    connectTimeoutMS: 3_000,
    maxPoolSize: 20,
  });
  await connection.asPromise();
  const products = createProductModel(connection, options.clock);
  const reservations = createReservationModel(connection, options.clock);
  return {
    connection,
    products,
    reservations,
    /** Creates the collections and the indexes the schemas declare; safe to repeat. */
    async prepare() {
      for (const model of [products, reservations]) {
        await model.createCollection().catch((error: { code?: number }) => {
          // 48 = NamespaceExists: another replica or an earlier start created it.
          if (error.code !== 48) throw error;
        });
        await model.createIndexes();
      }
    },
    async ping() {
      const db = connection.db;
      if (!db) throw new Error("not connected");
      await db.command({ ping: 1 });
    },
    close: () => connection.close(true),
  };
}
