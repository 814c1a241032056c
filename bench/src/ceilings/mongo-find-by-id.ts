import { openCatalogCollection } from "./catalog-collection.ts";
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

const { products, close } = await openCatalogCollection(args);
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
await close();
