import { callJson, mapLimit } from "./system/http-json.ts";
import { ADMIN } from "./system/start-system.ts";

export type Customer = { userId: string; email: string; token: string };
export const CUSTOMER_PASSWORD = "bench-customer-password-1";
export const CATEGORIES = Array.from({ length: 8 }, (_, i) => `bench-cat-${i}`);

export type Fixtures = Awaited<ReturnType<typeof createFixtures>>;

type Product = { id: string; stock: number };

/**
 * Data every scenario needs, made through the public API as an admin and as customers would:
 * a browsable catalog, well-stocked products for orders, one scarce product for the contended run,
 * products only the internal tRPC run touches, and registered customers with their tokens.
 */
export async function createFixtures(
  urls: { users: string; products: string },
  sizes: { catalog: number; stocked: number; contendedStock: number; customers: number },
) {
  const { accessToken: adminToken } = await callJson<{ accessToken: string }>(
    "POST",
    `${urls.users}/api/users/login`,
    { body: ADMIN },
  );
  const create = (i: number, group: string, stock: number, category: string) =>
    callJson<Product>("POST", `${urls.products}/api/products`, {
      token: adminToken,
      expect: 201,
      body: {
        name: `${group} product ${i}`,
        description: `A ${group} product the benchmark made`,
        price: Math.round((5 + ((i * 7919) % 1000) / 10) * 100) / 100,
        category,
        stock,
        tags: [group, `t${i % 5}`],
        images: [`https://img.example/${group}/${i}.jpg`],
      },
    });
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  const catalog = await mapLimit(range(sizes.catalog), 4, (i) =>
    create(i, "catalog", 100, CATEGORIES[i % CATEGORIES.length] as string),
  );
  const stocked = await mapLimit(range(sizes.stocked), 4, (i) =>
    create(i, "stocked", 1_000_000, "bench-stock"),
  );
  const [contended] = await Promise.all([create(0, "contended", sizes.contendedStock, "bench-stock")]);
  const internal = await mapLimit(range(4), 4, (i) => create(i, "internal", 100_000_000, "bench-internal"));

  // Admin stock deltas, so the invariant check covers "initial + admin deltas" and not just initial.
  const adminDeltas = new Map<string, number>();
  await mapLimit(stocked, 4, async (p) => {
    await callJson("PATCH", `${urls.products}/api/products/${p.id}/stock`, {
      token: adminToken,
      body: { quantity: 7 },
    });
    adminDeltas.set(p.id, 7);
  });

  // Registration hashes with argon2id, so a few at a time.
  const customers = await mapLimit(range(sizes.customers), 2, async (i) => {
    const email = `bench-${i}-${crypto.randomUUID().slice(0, 8)}@bench.local`;
    const res = await callJson<{ user: { id: string }; accessToken: string }>(
      "POST",
      `${urls.users}/api/users/register`,
      {
        expect: 201,
        body: { email, password: CUSTOMER_PASSWORD, firstName: "Bench", lastName: `Buyer ${i}` },
      },
    );
    return { userId: res.user.id, email, token: res.accessToken } satisfies Customer;
  });

  return {
    adminToken,
    catalog,
    stocked,
    contended: contended as Product,
    internal,
    customers,
    /** Stock each order-run product started with, and what admins added since. */
    initialStock: new Map([...stocked, contended as Product].map((p) => [p.id, p.stock])),
    adminDeltas,
  };
}
