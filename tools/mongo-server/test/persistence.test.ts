import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose from "mongoose";
import { startMongoServer } from "../src/index.ts";

const dataDir = mkdtempSync(join(tmpdir(), "ecom-mongo-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type ProductDoc = { _id: string; sku: string; stock?: number };

async function withServer<T>(work: (db: mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const server = await startMongoServer({ dataDir });
  const connection = await mongoose.createConnection(`${server.url}shop`).asPromise();
  try {
    return await work(connection.db!);
  } finally {
    await connection.close();
    await server.stop();
  }
}

test("documents and indexes written with the H2 backend survive a restart", async () => {
  const id = crypto.randomUUID();
  await withServer(async (db) => {
    await db.collection("products").createIndex({ sku: 1 }, { unique: true });
    await db.collection<ProductDoc>("products").insertOne({ _id: id, sku: "A-1", stock: 5 });
    await db.collection<ProductDoc>("products").updateOne({ _id: id }, { $inc: { stock: -2 } });
  });

  await withServer(async (db) => {
    expect(await db.collection<ProductDoc>("products").findOne({ _id: id })).toEqual({
      _id: id,
      sku: "A-1",
      stock: 3,
    });
    const duplicate = await db
      .collection<ProductDoc>("products")
      .insertOne({ _id: crypto.randomUUID(), sku: "A-1" })
      .catch((e: unknown) => e);
    expect((duplicate as { code?: number }).code).toBe(11000);
  });
});
