import mongoose from "mongoose";
import { ceilingArgs, closedLoop, printOutput } from "./closed-loop.ts";

/**
 * Data ceiling of GET /api/products/{id}: mongoose `findById().lean()` on the same server and
 * collection the product service uses, with the same pool size and no HTTP. The server runs one
 * command at a time, so this is the most any reader of it can get.
 */
const args = ceilingArgs<{
  url: string;
  dbName: string;
  ids: string[];
  concurrency: number;
  durationSec: number;
  warmupSec: number;
}>();

const connection = await mongoose
  .createConnection(args.url, { dbName: args.dbName, maxPoolSize: 20, autoIndex: false })
  .asPromise();
// Schema-less view of the service's collection; `holdsByOrder` is left out as the service's schema does.
const products = connection.model(
  "BenchProduct",
  new mongoose.Schema({ _id: String }, { strict: false, collection: "products" }),
);
printOutput(
  await closedLoop({
    ...args,
    op: (i) =>
      products
        .findById(args.ids[i % args.ids.length])
        .select({ holdsByOrder: 0 })
        .lean(),
  }),
);
await connection.close();
