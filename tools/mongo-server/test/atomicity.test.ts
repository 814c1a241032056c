import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type MongoServer, startMongo } from "@ecom/test-harness";
import mongoose from "mongoose";

// Several connections make the requests real concurrent clients of the server, not one socket's queue.
const clientCount = 5;
type StockDoc = { _id: string; stock: number };
const stockSchema = new mongoose.Schema<StockDoc>({ _id: String, stock: Number });

let mongo: MongoServer;
let connections: mongoose.Connection[];
let models: mongoose.Model<StockDoc>[];

beforeAll(async () => {
  mongo = await startMongo();
  connections = await Promise.all(
    Array.from({ length: clientCount }, () => mongoose.createConnection(mongo.url).asPromise()),
  );
  models = connections.map((c) => c.model("Stock", stockSchema, "stocks"));
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await mongo.stop();
});

const client = (i: number) => models[i % clientCount]!;

async function newProduct(stock: number): Promise<string> {
  const id = crypto.randomUUID();
  await client(0).create({ _id: id, stock });
  return id;
}

describe("concurrent updates of one document are atomic", () => {
  test("50 conditional decrements of a stock of 10 succeed exactly 10 times", async () => {
    const id = await newProduct(10);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        client(i)
          .findOneAndUpdate({ _id: id, stock: { $gte: 1 } }, { $inc: { stock: -1 } }, { new: true })
          .lean(),
      ),
    );

    const granted = results.filter((r) => r !== null);
    expect(granted).toHaveLength(10);
    // Each success saw a distinct remaining stock: no two requests took the same unit.
    expect(granted.map((r) => r.stock).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await client(1).findById(id).lean())?.stock).toBe(0);
  });

  test("30 conditional takes of 3 units from a stock of 10 succeed 3 times and leave 1", async () => {
    const id = await newProduct(10);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        client(i)
          .findOneAndUpdate({ _id: id, stock: { $gte: 3 } }, { $inc: { stock: -3 } }, { new: true })
          .lean(),
      ),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(3);
    expect((await client(2).findById(id).lean())?.stock).toBe(1);
  });

  test("20 parallel mixed increments and decrements add up exactly", async () => {
    const id = await newProduct(100);
    const deltas = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 5 : -2));
    await Promise.all(deltas.map((delta, i) => client(i).updateOne({ _id: id }, { $inc: { stock: delta } })));

    const expected = 100 + deltas.reduce((sum, d) => sum + d, 0);
    expect((await client(3).findById(id).lean())?.stock).toBe(expected);
  });
});
