import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  createProduct,
  type Fixture,
  halfDoneReservation,
  startFixture,
  stockCalls,
} from "./support/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ leaseMs: 300 });
});
afterAll(() => f.close());

const { reserve, cancel, settle, reservation, stockOf, holdsOf } = stockCalls(() => f);

describe("cancel: recovery's one conditional step", () => {
  test("with no record it leaves a tombstone, so a reserve landing later is refused and takes nothing", async () => {
    const a = await createProduct(f, { stock: 10 });
    const orderId = crypto.randomUUID();
    expect(await cancel(orderId)).toEqual({ status: "cancelled" });
    expect(await reserve(orderId, [{ productId: a.id, quantity: 4 }])).toMatchObject({
      ok: false,
      reason: "RELEASED",
    });
    expect(await stockOf(a.id)).toBe(10);
    expect(await cancel(orderId)).toEqual({ status: "already_released" });
  });

  test("a reserve that completed after recovery read the state is reported, never given back", async () => {
    const a = await createProduct(f, { stock: 10 });
    const orderId = crypto.randomUUID();
    // Recovery's read, then the late reserve, then recovery's write.
    expect(await reservation(orderId)).toEqual({ status: "none" });
    expect(await reserve(orderId, [{ productId: a.id, quantity: 4 }])).toEqual({
      ok: true,
      status: "reserved",
    });
    expect(await cancel(orderId)).toEqual({ status: "reserved" });
    expect(await stockOf(a.id)).toBe(6);
    expect(await holdsOf(a.id)).toEqual([orderId]);
    expect(await settle(orderId)).toEqual({ status: "settled" });
    expect(await cancel(orderId)).toEqual({ status: "settled" });
    expect(await stockOf(a.id)).toBe(6);
  });

  test("an abandoned reserve (lease run out) is rolled back and stays refused", async () => {
    const { a, b, orderId, items } = await halfDoneReservation(f, new Date(Date.now() - 1000));
    expect(await cancel(orderId)).toEqual({ status: "cancelled" });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([10, 10]);
    expect(await reserve(orderId, items)).toMatchObject({ ok: false, reason: "RELEASED" });
    expect(await reservation(orderId)).toEqual({ status: "released" });
  });

  test("a reserve running under a live lease is not interrupted: in_progress at once, the stock untouched", async () => {
    // A lease far beyond the test's timeout: waiting it out would fail the test.
    const { a, orderId } = await halfDoneReservation(f, new Date(Date.now() + 3_600_000));
    expect(await cancel(orderId)).toEqual({ status: "in_progress" });
    expect(await stockOf(a.id)).toBe(8);
    expect(await reservation(orderId)).toEqual({ status: "reserving" });
  });

  test("a cancel cut off after its rollback flip is finished by the next cancel", async () => {
    const { a, orderId } = await halfDoneReservation(f, new Date(Date.now() - 1000));
    // Flipped to released, then the process died before the give-back.
    await f.db.reservations.updateOne({ _id: orderId }, { $set: { status: "released" } });
    expect(await stockOf(a.id)).toBe(8);
    expect(await cancel(orderId)).toEqual({ status: "already_released" });
    expect(await stockOf(a.id)).toBe(10);
    expect(await holdsOf(a.id)).toEqual([]);
  });

  test("racing reserve and cancel: a successful reserve is never cancelled, a cancelled one holds nothing", async () => {
    const a = await createProduct(f, { stock: 1_000 });
    let held = 0;
    for (let i = 0; i < 20; i++) {
      const orderId = crypto.randomUUID();
      const [reserved, cancelled] = await Promise.all([
        reserve(orderId, [{ productId: a.id, quantity: 3 }]),
        cancel(orderId),
      ]);
      if (reserved.ok) {
        expect(["reserved", "in_progress"]).toContain(cancelled.status);
        expect(await cancel(orderId)).toEqual({ status: "reserved" });
        held += 3;
      } else {
        expect(reserved.reason).toBe("RELEASED");
        expect(cancelled.status).toBe("cancelled");
      }
    }
    expect(await stockOf(a.id)).toBe(1_000 - held);
    expect(await holdsOf(a.id)).toHaveLength(held / 3);
  });

  test("invalid input is BAD_REQUEST", async () => {
    expect((await f.trpc("mutation", "cancel", { orderId: "nope" })).status).toBe(400);
    expect((await f.trpc("mutation", "cancel", {})).status).toBe(400);
  });
});
