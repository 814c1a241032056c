import { afterAll, beforeAll, expect, test } from "bun:test";
import { createProduct, type Fixture, startFixture, storedProduct, trpcData } from "./support/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const products = () => f.db.products.collection;
const call = async <T>(kind: "query" | "mutation", name: string, input: unknown) =>
  trpcData<T>(await f.trpc(kind, name, input));

/** What an earlier version leaves: `quantity` of a product taken by `orderId`, its hold in the list form. */
async function listHold(stock: number, quantity: number) {
  const product = await createProduct(f, { stock });
  const orderId = crypto.randomUUID();
  await f.db.reservations.create({
    _id: orderId,
    status: "reserved",
    items: [{ productId: product.id, quantity }],
  });
  await products().updateOne(
    { _id: product.id as never },
    { $inc: { stock: -quantity }, $set: { holds: [{ orderId, quantity }] } },
  );
  return { id: product.id, orderId, items: [{ productId: product.id, quantity }] };
}

// During a rolling update, replicas of the earlier version keep writing list-form holds.
test("list-form holds are honoured as they are: no second take, release and settle find them", async () => {
  const released = await listHold(10, 4);
  expect(await call("mutation", "reserve", { orderId: released.orderId, items: released.items })).toEqual({
    ok: true,
    status: "reserved",
  });
  expect(await storedProduct(f, released.id)).toMatchObject({ stock: 6 });
  expect(await call("mutation", "release", { orderId: released.orderId })).toEqual({ status: "released" });
  expect(await storedProduct(f, released.id)).toMatchObject({ stock: 10, holds: [] });

  const settled = await listHold(10, 3);
  expect(await call("mutation", "settle", { orderId: settled.orderId })).toEqual({ status: "settled" });
  expect(await storedProduct(f, settled.id)).toMatchObject({ stock: 7, holds: [] });
});

test("prepare moves list-form holds into the order-id map; the orders can still be released", async () => {
  const held = await listHold(10, 4);
  const idle = await createProduct(f, { stock: 10 });
  await products().updateOne({ _id: idle.id as never }, { $set: { holds: [] } });

  expect(await f.db.prepare()).toEqual({ holdsConverted: 1 });
  expect(await storedProduct(f, held.id)).toMatchObject({
    stock: 6,
    holds: [],
    holdsByOrder: { [held.orderId]: 4 },
  });
  expect(await f.db.prepare()).toEqual({ holdsConverted: 0 });

  expect(await call("mutation", "release", { orderId: held.orderId })).toEqual({ status: "released" });
  expect(await storedProduct(f, held.id)).toMatchObject({ stock: 10, holdsByOrder: {} });
});
