import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mongoose from "mongoose";
import { type MongoServerProcess, startMongoServer } from "../src/index.ts";

// What this server does NOT do, checked so README.md's list stays true when the library changes.
let server: MongoServerProcess;
let connection: mongoose.Connection;
type ItemDoc = { _id: string; name: string; price: number };
let Item: mongoose.Model<ItemDoc>;

beforeAll(async () => {
  server = await startMongoServer({ memory: true });
  connection = await mongoose.createConnection(`${server.url}limits`).asPromise();
  Item = connection.model("Item", new mongoose.Schema<ItemDoc>({ _id: String, name: String, price: Number }));
  await Item.insertMany([
    { _id: "a", name: "Red Shoe", price: 5 },
    { _id: "b", name: "blue hat", price: 7 },
  ]);
});

afterAll(async () => {
  await connection.close();
  await server.stop();
});

describe("unsupported MongoDB features", () => {
  test("$text search is rejected (use a case-insensitive $regex)", async () => {
    await Item.collection.createIndex({ name: "text" });
    await expect(Item.find({ $text: { $search: "shoe" } }).exec()).rejects.toThrow();
  });

  test("transactions are refused: the server offers no sessions", async () => {
    const session = await connection.startSession();
    try {
      await expect(
        session.withTransaction(() => Item.updateOne({ _id: "a" }, { $inc: { price: 1 } }, { session })),
      ).rejects.toThrow(/does not support sessions/);
    } finally {
      await session.endSession();
    }
    expect((await Item.findById("a").lean())?.price).toBe(5);
  });

  test("pipeline-style updates are rejected (use update operators)", async () => {
    await expect(
      Item.updateOne({ _id: "a" }, [{ $set: { price: { $add: ["$price", 1] } } }]).exec(),
    ).rejects.toThrow();
  });

  test("$setWindowFields is an unknown aggregation stage", async () => {
    await expect(
      Item.aggregate([{ $setWindowFields: { sortBy: { price: 1 }, output: { r: { $rank: {} } } } }]).exec(),
    ).rejects.toThrow(/setWindowFields/);
  });

  test("collation is ignored: a strength-2 match stays case-sensitive", async () => {
    const found = await Item.find({ name: "red shoe" }).collation({ locale: "en", strength: 2 }).lean();
    expect(found).toEqual([]);
  });
});
