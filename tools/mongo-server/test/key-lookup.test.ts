import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { type MongoServerProcess, startMongoServer } from "../src/index.ts";

type Product = { _id: string; sku: string; stock: number; isActive: boolean; holds: { orderId: string }[] };

const dataDir = mkdtempSync(join(tmpdir(), "ecom-mongo-lookup-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Queries that name a unique key and more fields are looked up by the key, then filtered
// (KeyLookupIndex.java); both backends must still answer exactly what MongoDB answers.
for (const backend of ["memory", "h2"] as const) {
  describe(`${backend} backend: a unique key plus other conditions`, () => {
    let server: MongoServerProcess;
    let connection: mongoose.Connection;
    let products: mongoose.mongo.Collection<Product>;

    beforeAll(async () => {
      server = await startMongoServer(backend === "memory" ? { memory: true } : { dataDir });
      connection = await mongoose.createConnection(`${server.url}lookup`).asPromise();
      products = connection.db!.collection<Product>("products");
      await products.createIndex({ sku: 1 }, { unique: true });
      // Inserted out of key order on purpose (see the $in test).
      await products.insertMany([
        { _id: "c", sku: "C-1", stock: 0, isActive: true, holds: [] },
        { _id: "a", sku: "A-1", stock: 5, isActive: true, holds: [{ orderId: "o-1" }] },
        { _id: "b", sku: "B-1", stock: 9, isActive: false, holds: [] },
      ]);
    });

    afterAll(async () => {
      await connection.close();
      await server.stop();
    });

    test("an _id with a condition on another field matches only when both hold", async () => {
      expect(await products.findOne({ _id: "a", stock: { $gte: 5 } })).toMatchObject({ _id: "a" });
      expect(await products.findOne({ _id: "a", stock: { $gte: 6 } })).toBeNull();
      expect(await products.findOne({ _id: "missing", stock: { $gte: 0 } })).toBeNull();
    });

    test("a conditional update by _id applies once, like a reservation's take", async () => {
      const take = () =>
        products.updateOne(
          { _id: "a", isActive: true, stock: { $gte: 2 }, "holds.orderId": { $ne: "o-2" } },
          { $inc: { stock: -2 }, $push: { holds: { orderId: "o-2" } } },
        );
      expect((await take()).modifiedCount).toBe(1);
      expect((await take()).modifiedCount).toBe(0);
      expect(await products.findOne({ _id: "a" })).toMatchObject({
        stock: 3,
        holds: [{ orderId: "o-1" }, { orderId: "o-2" }],
      });
    });

    test("$in on _id with another condition keeps only the matching documents", async () => {
      const found = await products.find({ _id: { $in: ["b", "a", "c"] }, isActive: true }).toArray();
      // The key lookup answers in key order; the memory backend's collection scan would answer in
      // insertion order (c, a), so this also shows the lookup is used.
      expect(found.map((p) => p._id)).toEqual(["a", "c"]);
    });

    test("a secondary unique key with other conditions, also after the key itself changed", async () => {
      expect(await products.findOne({ sku: "B-1", isActive: false })).toMatchObject({ _id: "b" });
      expect(await products.findOne({ sku: "B-1", isActive: true })).toBeNull();
      await products.updateOne({ sku: "B-1", isActive: false }, { $set: { sku: "B-2" } });
      expect(await products.findOne({ sku: "B-1", isActive: false })).toBeNull();
      expect(await products.findOne({ sku: "B-2", isActive: false })).toMatchObject({ _id: "b" });
    });

    test("conditions the key cannot answer alone still scan and match correctly", async () => {
      const ranged = await products.find({ _id: { $gt: "a" }, stock: { $gte: 0 } }).toArray();
      expect(ranged.map((p) => p._id).sort()).toEqual(["b", "c"]);
      const either = await products.find({ _id: "c", $or: [{ stock: 0 }, { isActive: false }] }).toArray();
      expect(either.map((p) => p._id)).toEqual(["c"]);
    });
  });
}
