import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  createProduct,
  type Fixture,
  halfDoneReservation,
  SERVICE_TOKEN,
  startFixture,
  stockCalls,
} from "./support/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ leaseMs: 300 });
});
afterAll(() => f.close());

const { reserve, release, settle, reservation, stockOf, holdsOf } = stockCalls(() => f);

/** Two products with stock 10, an order holding 2 and 3 of them, and another order holding 1 of each. */
async function reservedOrder() {
  const a = await createProduct(f, { stock: 10 });
  const b = await createProduct(f, { stock: 10 });
  const orderId = crypto.randomUUID();
  const other = crypto.randomUUID();
  expect(
    await reserve(orderId, [
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 3 },
    ]),
  ).toMatchObject({ ok: true });
  expect(
    await reserve(other, [
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 1 },
    ]),
  ).toMatchObject({ ok: true });
  return { a: a.id, b: b.id, orderId, other };
}

describe("settle", () => {
  test("drops the order's holds and keeps the stock taken; other orders' holds stay", async () => {
    const { a, b, orderId, other } = await reservedOrder();
    expect(await settle(orderId)).toEqual({ status: "settled" });
    expect([await stockOf(a), await stockOf(b)]).toEqual([7, 6]);
    expect([await holdsOf(a), await holdsOf(b)]).toEqual([[other], [other]]);
    expect(await reservation(orderId)).toEqual({ status: "settled" });
    expect((await f.db.reservations.findById(orderId).lean())?.taken).toEqual([]);
  });

  test("a second settle answers already_settled and changes nothing", async () => {
    const { a, b, orderId } = await reservedOrder();
    await settle(orderId);
    expect(await settle(orderId)).toEqual({ status: "already_settled" });
    expect([await stockOf(a), await stockOf(b)]).toEqual([7, 6]);
  });

  test("concurrent settles: one settles, the rest see it settled", async () => {
    const { a, orderId, other } = await reservedOrder();
    const results = await Promise.all(Array.from({ length: 6 }, () => settle(orderId)));
    expect(results.filter((r) => r.status === "settled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "already_settled")).toHaveLength(5);
    expect(await stockOf(a)).toBe(7);
    expect(await holdsOf(a)).toEqual([other]);
  });

  test("a release after settle gives nothing back; a repeated reserve is ok and takes nothing", async () => {
    const { a, b, orderId } = await reservedOrder();
    await settle(orderId);
    expect(await release(orderId)).toEqual({ status: "already_settled" });
    expect([await stockOf(a), await stockOf(b)]).toEqual([7, 6]);
    expect(await reservation(orderId)).toEqual({ status: "settled" });
    expect(await reserve(orderId, [{ productId: a, quantity: 2 }])).toEqual({ ok: true, status: "reserved" });
    expect(await stockOf(a)).toBe(7);
  });

  test("a settle cut off after the flip is finished by the next settle", async () => {
    const { a, b, orderId, other } = await reservedOrder();
    // Flipped to settled, then the process died before dropping the holds.
    await f.db.reservations.updateOne({ _id: orderId }, { $set: { status: "settled" } });
    expect(await holdsOf(a)).toContain(orderId);
    expect(await settle(orderId)).toEqual({ status: "already_settled" });
    expect([await holdsOf(a), await holdsOf(b)]).toEqual([[other], [other]]);
    expect([await stockOf(a), await stockOf(b)]).toEqual([7, 6]);
  });

  test("an unknown order: none_held, and nothing is written", async () => {
    const orderId = crypto.randomUUID();
    expect(await settle(orderId)).toEqual({ status: "none_held" });
    expect(await f.db.reservations.findById(orderId).lean()).toBeNull();
    expect(await reservation(orderId)).toEqual({ status: "none" });
  });

  test("a released reservation: released, and nothing changes", async () => {
    const { a, b, orderId, other } = await reservedOrder();
    expect(await release(orderId)).toEqual({ status: "released" });
    expect(await settle(orderId)).toEqual({ status: "released" });
    expect([await stockOf(a), await stockOf(b)]).toEqual([9, 9]);
    expect([await holdsOf(a), await holdsOf(b)]).toEqual([[other], [other]]);
    expect(await reservation(orderId)).toEqual({ status: "released" });
    expect(await release(orderId)).toEqual({ status: "already_released" });
  });

  test("a reserve abandoned mid-way is finished first, then settled", async () => {
    const { a, b, orderId } = await halfDoneReservation(f, new Date(Date.now() - 1000));
    expect(await settle(orderId)).toEqual({ status: "settled" });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([8, 7]);
    expect([await holdsOf(a.id), await holdsOf(b.id)]).toEqual([[], []]);
  });

  test("invalid input is BAD_REQUEST; no internal credential is 401", async () => {
    for (const input of [
      { orderId: "nope" },
      {},
      { orderId: { $gt: "" } },
      { orderId: crypto.randomUUID(), x: 1 },
    ])
      expect((await f.trpc("mutation", "settle", input)).status).toBe(400);
    for (const token of [null, `${SERVICE_TOKEN}x`])
      expect((await f.trpc("mutation", "settle", { orderId: crypto.randomUUID() }, token)).status).toBe(401);
  });
});
