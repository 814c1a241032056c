import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import mongoose from "mongoose";
import { type MongoServerProcess, startMongoServer } from "../src/index.ts";

const productSchema = new mongoose.Schema(
  {
    _id: { type: String, default: () => crypto.randomUUID() },
    name: { type: String, required: true },
    category: { type: String, index: true },
    tags: { type: [String], default: [] },
    priceCents: { type: Number, required: true },
    stock: { type: Number, required: true, min: 0 },
  },
  { timestamps: true },
);
productSchema.index({ category: 1, priceCents: 1 });

let server: MongoServerProcess;
let connection: mongoose.Connection;
let Product: mongoose.Model<mongoose.InferSchemaType<typeof productSchema>>;

beforeAll(async () => {
  server = await startMongoServer({ memory: true });
  connection = await mongoose.createConnection(`${server.url}crud`).asPromise();
  Product = connection.model("Product", productSchema);
});

afterAll(async () => {
  await connection.close();
  await server.stop();
});

const seed = () =>
  Product.insertMany([
    { name: "Red Running Shoe", category: "shoes", tags: ["red", "sport"], priceCents: 5999, stock: 4 },
    { name: "Blue Hat", category: "hats", tags: ["blue"], priceCents: 1999, stock: 0 },
    { name: "red scarf", category: "scarves", tags: ["red", "winter"], priceCents: 2499, stock: 7 },
    { name: "Trail Shoe", category: "shoes", tags: ["sport", "winter"], priceCents: 8999, stock: 2 },
  ]);

describe("mongoose 8 against the embedded server", () => {
  test("creates, reads, updates and deletes documents keyed by UUID strings", async () => {
    const created = await Product.create({ name: "Mug", priceCents: 1250, stock: 3 });
    expect(created._id).toMatch(/^[0-9a-f-]{36}$/);

    const found = await Product.findById(created._id).lean();
    expect(found).toMatchObject({ _id: created._id, name: "Mug", priceCents: 1250, stock: 3 });
    expect(found?.createdAt).toBeInstanceOf(Date);

    const updated = await Product.findByIdAndUpdate(
      created._id,
      { $set: { priceCents: 1500 } },
      { new: true },
    );
    expect(updated?.priceCents).toBe(1500);

    expect((await Product.deleteOne({ _id: created._id })).deletedCount).toBe(1);
    expect(await Product.findById(created._id)).toBeNull();
  });

  test("builds the schema's indexes", async () => {
    await Product.createIndexes();
    const names = (await Product.collection.indexes()).map((index) => index.name);
    expect(names).toEqual(expect.arrayContaining(["_id_", "category_1", "category_1_priceCents_1"]));
  });

  test("counts, filters by case-insensitive regex and $all, and pages with sort/skip/limit", async () => {
    await Product.deleteMany({});
    await seed();

    expect(await Product.countDocuments({})).toBe(4);
    expect(await Product.countDocuments({ stock: { $gt: 0 }, category: "shoes" })).toBe(2);

    const red = await Product.find({ name: { $regex: "RED", $options: "i" } }).lean();
    expect(red.map((p) => p.name).sort()).toEqual(["Red Running Shoe", "red scarf"]);

    const sportyWinter = await Product.find({ tags: { $all: ["sport", "winter"] } }).lean();
    expect(sportyWinter.map((p) => p.name)).toEqual(["Trail Shoe"]);

    const byPrice = await Product.find({}).sort({ priceCents: -1 }).skip(1).limit(2).lean();
    expect(byPrice.map((p) => p.priceCents)).toEqual([5999, 2499]);

    const inRange = await Product.find({
      priceCents: { $gte: 2000, $lte: 6000 },
      category: { $in: ["shoes", "scarves"] },
    })
      .sort({ name: 1 })
      .lean();
    expect(inRange.map((p) => p.name)).toEqual(["Red Running Shoe", "red scarf"]);
  });

  test("updates many documents and upserts", async () => {
    const result = await Product.updateMany({ tags: "red" }, { $addToSet: { tags: "sale" } });
    expect(result.modifiedCount).toBe(2);
    expect(await Product.countDocuments({ tags: "sale" })).toBe(2);

    const id = crypto.randomUUID();
    await Product.updateOne(
      { _id: id },
      { $setOnInsert: { name: "Upserted", priceCents: 100, stock: 1 } },
      { upsert: true },
    );
    expect((await Product.findById(id).lean())?.name).toBe("Upserted");
  });

  test("groups with an aggregation pipeline", async () => {
    const totals = await Product.aggregate<{ _id: string; stock: number }>([
      { $match: { category: { $in: ["shoes", "hats"] } } },
      { $group: { _id: "$category", stock: { $sum: "$stock" } } },
      { $sort: { _id: 1 } },
    ]);
    expect(totals).toEqual([
      { _id: "hats", stock: 0 },
      { _id: "shoes", stock: 6 },
    ]);
  });
});
