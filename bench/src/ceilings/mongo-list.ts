import { planList } from "@ecom/product-service/list-plan";
import { openCatalogCollection } from "./catalog-collection.ts";
import { ceilingArgs, closedLoop, printOutput } from "./closed-loop.ts";

/**
 * Data ceiling of GET /api/products?category=…&sort=price&limit=20: the two commands the product
 * service's `list` sends for that query (apps/product-service/src/repository/products.ts), with the
 * filter and sort of the service's own plan (`planList`), in parallel as it sends them, on the same
 * server and collection, with the same pool size and no HTTP.
 */
const args = ceilingArgs<{
  url: string;
  dbName: string;
  categories: string[];
  limit: number;
  concurrency: number;
  durationSec: number;
  warmupSec: number;
}>();

const { products, close } = await openCatalogCollection(args);
printOutput(
  await closedLoop({
    ...args,
    op: (i) => {
      // An anonymous caller, as in the scenario: page 1 of one category by price.
      const { filter, sort, page, limit } = planList(
        { category: args.categories[i % args.categories.length], sort: "price", limit: String(args.limit) },
        { canSeeInactive: false },
      );
      return Promise.all([
        products
          .find(filter)
          .sort(sort)
          .skip((page - 1) * limit)
          .limit(limit)
          .select({ holdsByOrder: 0 })
          .lean(),
        products.countDocuments(filter),
      ]);
    },
  }),
);
await close();
