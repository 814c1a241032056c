import { afterAll, beforeAll, expect, test } from "bun:test";
import mongoose from "mongoose";
import { type MongoServerProcess, startMongoServer } from "../src/index.ts";

let server: MongoServerProcess;
let connection: mongoose.Connection;

beforeAll(async () => {
  server = await startMongoServer({ memory: true });
  connection = await mongoose.createConnection(`${server.url}dup`).asPromise();
});

afterAll(async () => {
  await connection.close();
  await server.stop();
});

// Reservation records are keyed by orderId: a second insert must fail with 11000, not overwrite.
test("insertOne with an existing _id fails with duplicate key code 11000 and keeps the first document", async () => {
  const reservations = connection.collection<{ _id: string; status: string }>("reservations");
  const orderId = crypto.randomUUID();
  await reservations.insertOne({ _id: orderId, status: "reserved" });

  const error = await reservations.insertOne({ _id: orderId, status: "released" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(mongoose.mongo.MongoServerError);
  expect((error as mongoose.mongo.MongoServerError).code).toBe(11000);
  expect(await reservations.findOne({ _id: orderId })).toEqual({ _id: orderId, status: "reserved" });
});

test("a mongoose model's create() and a unique secondary index report 11000 too", async () => {
  const Sku = connection.model(
    "Sku",
    new mongoose.Schema({ _id: String, code: { type: String, unique: true } }),
  );
  await Sku.createIndexes();
  await Sku.create({ _id: "a", code: "X-1" });

  const sameId = await Sku.create({ _id: "a", code: "X-2" }).catch((e: unknown) => e);
  expect((sameId as { code?: number }).code).toBe(11000);

  const sameCode = await Sku.create({ _id: "b", code: "X-1" }).catch((e: unknown) => e);
  expect((sameCode as { code?: number }).code).toBe(11000);
  expect(await Sku.countDocuments()).toBe(1);
});
