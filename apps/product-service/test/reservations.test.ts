import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  createProduct,
  type Fixture,
  halfDoneReservation,
  SERVICE_TOKEN,
  startFixture,
  stockCalls,
  storedProduct,
  trpcData,
} from "./support/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ leaseMs: 300 });
});
afterAll(() => f.close());

const { reserve, release, reservation, stockOf } = stockCalls(() => f);

const holdsOf = async (id: string) => {
  const product = await storedProduct(f, id);
  return Object.entries((product?.holdsByOrder ?? {}) as Record<string, number>).map(
    ([orderId, quantity]) => ({
      orderId,
      quantity,
    }),
  );
};

describe("internal credential", () => {
  test("tRPC without or with a wrong internal token is 401", async () => {
    const input = { ids: [crypto.randomUUID()] };
    for (const token of [null, "wrong-token", `${SERVICE_TOKEN}x`]) {
      const res = await f.trpc("query", "getMany", input, token);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("UNAUTHORIZED");
    }
    // A user's access token is not an internal credential.
    const res = await f.app.handle(
      new Request(`http://localhost/trpc/getMany?input=${encodeURIComponent(JSON.stringify(input))}`, {
        headers: { authorization: `Bearer ${f.adminToken}` },
      }),
    );
    expect(res.status).toBe(401);
  });
});

describe("getMany", () => {
  test("returns found products only, with integer cents, inactive ones flagged", async () => {
    const a = await createProduct(f, { price: 19.99, stock: 4 });
    const b = await createProduct(f, { price: 0.1, isActive: false });
    const found = await trpcData<unknown[]>(
      await f.trpc("query", "getMany", { ids: [a.id, b.id, crypto.randomUUID()] }),
    );
    expect(found).toHaveLength(2);
    expect(found).toContainEqual({ id: a.id, name: a.name, priceCents: 1999, stock: 4, isActive: true });
    expect(found).toContainEqual({ id: b.id, name: b.name, priceCents: 10, stock: 5, isActive: false });
  });

  test("invalid input is BAD_REQUEST", async () => {
    for (const input of [
      { ids: [] },
      { ids: ["not-a-uuid"] },
      { ids: Array.from({ length: 101 }, () => crypto.randomUUID()) },
      { ids: [{ $gt: "" }] },
      {},
    ]) {
      const res = await f.trpc("query", "getMany", input);
      expect(res.status).toBe(400);
      expect((await res.json()).error.data.code).toBe("BAD_REQUEST");
    }
  });
});

describe("reserve / release", () => {
  test("reserve takes stock once per order id; a retry answers ok without taking again", async () => {
    const a = await createProduct(f, { stock: 10 });
    const b = await createProduct(f, { stock: 3 });
    const orderId = crypto.randomUUID();
    const items = [
      { productId: a.id, quantity: 4 },
      { productId: b.id, quantity: 3 },
    ];
    expect(await reserve(orderId, items)).toEqual({ ok: true, status: "reserved" });
    expect(await reserve(orderId, items)).toEqual({ ok: true, status: "reserved" });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([6, 0]);
    expect(await reservation(orderId)).toEqual({ status: "reserved" });
    const record = await f.db.reservations.findById(orderId).lean();
    expect(record?.taken).toEqual([a.id, b.id]);
    expect(await holdsOf(a.id)).toEqual([{ orderId, quantity: 4 }]);
    // Holds are internal: never in the public product.
    const publicKeys = Object.keys(await (await f.call("GET", `/api/products/${a.id}`)).json());
    expect(publicKeys.filter((k) => k.startsWith("holds"))).toEqual([]);
  });

  test("release gives the stock back exactly once", async () => {
    const a = await createProduct(f, { stock: 5 });
    const orderId = crypto.randomUUID();
    await reserve(orderId, [{ productId: a.id, quantity: 2 }]);
    expect(await stockOf(a.id)).toBe(3);
    expect(await release(orderId)).toEqual({ status: "released" });
    expect(await release(orderId)).toEqual({ status: "already_released" });
    expect(await stockOf(a.id)).toBe(5);
    expect(await holdsOf(a.id)).toEqual([]);
    expect(await reservation(orderId)).toEqual({ status: "released" });
    // A released order id stays released.
    expect(await reserve(orderId, [{ productId: a.id, quantity: 2 }])).toEqual({
      ok: false,
      reason: "RELEASED",
      shortages: [],
    });
    expect(await stockOf(a.id)).toBe(5);
  });

  test("concurrent releases of one order give back once", async () => {
    const a = await createProduct(f, { stock: 5 });
    const orderId = crypto.randomUUID();
    await reserve(orderId, [{ productId: a.id, quantity: 5 }]);
    const results = await Promise.all(Array.from({ length: 8 }, () => release(orderId)));
    expect(results.filter((r) => r.status === "released")).toHaveLength(1);
    expect(results.filter((r) => r.status === "already_released")).toHaveLength(7);
    expect(await stockOf(a.id)).toBe(5);
  });

  test("a multi-line reserve whose last line is short leaves every stock unchanged", async () => {
    const a = await createProduct(f, { stock: 10 });
    const b = await createProduct(f, { stock: 1 });
    const c = await createProduct(f, { stock: 2 });
    const orderId = crypto.randomUUID();
    const items = [
      { productId: a.id, quantity: 5 },
      { productId: b.id, quantity: 2 },
      { productId: c.id, quantity: 3 },
    ];
    const result = await reserve(orderId, items);
    expect(result).toEqual({
      ok: false,
      reason: "INSUFFICIENT_STOCK",
      shortages: [
        { productId: b.id, requested: 2, available: 1 },
        { productId: c.id, requested: 3, available: 2 },
      ],
    });
    expect([await stockOf(a.id), await stockOf(b.id), await stockOf(c.id)]).toEqual([10, 1, 2]);
    expect(await holdsOf(a.id)).toEqual([]);
    expect(await reservation(orderId)).toEqual({ status: "released" });
    // The same order id gets the same answer, even once stock would allow it.
    await f.db.products.updateOne({ _id: c.id }, { $set: { stock: 50 } });
    expect(await reserve(orderId, items)).toEqual(result);
    expect(await release(orderId)).toEqual({ status: "already_released" });
    expect(await stockOf(a.id)).toBe(10);
  });

  test("the short line found first is reported even when it is the only one", async () => {
    const a = await createProduct(f, { stock: 1 });
    const b = await createProduct(f, { stock: 9 });
    const result = await reserve(crypto.randomUUID(), [
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 1 },
    ]);
    expect(result).toEqual({
      ok: false,
      reason: "INSUFFICIENT_STOCK",
      shortages: [{ productId: a.id, requested: 2, available: 1 }],
    });
    expect(await stockOf(b.id)).toBe(9);
  });

  test("unknown or inactive products: PRODUCT_UNAVAILABLE, nothing taken", async () => {
    const a = await createProduct(f, { stock: 10 });
    const inactive = await createProduct(f, { stock: 10, isActive: false });
    const unknown = crypto.randomUUID();
    const result = await reserve(crypto.randomUUID(), [
      { productId: a.id, quantity: 1 },
      { productId: inactive.id, quantity: 1 },
      { productId: unknown, quantity: 2 },
    ]);
    expect(result).toEqual({
      ok: false,
      reason: "PRODUCT_UNAVAILABLE",
      shortages: [
        { productId: inactive.id, requested: 1, available: 0 },
        { productId: unknown, requested: 2, available: 0 },
      ],
    });
    expect([await stockOf(a.id), await stockOf(inactive.id)]).toEqual([10, 10]);
  });

  test("release before reserve leaves a tombstone: the late reserve is refused", async () => {
    const a = await createProduct(f, { stock: 10 });
    const orderId = crypto.randomUUID();
    expect(await reservation(orderId)).toEqual({ status: "none" });
    expect(await release(orderId)).toEqual({ status: "none_held" });
    expect(await reservation(orderId)).toEqual({ status: "released" });
    expect(await reserve(orderId, [{ productId: a.id, quantity: 1 }])).toEqual({
      ok: false,
      reason: "RELEASED",
      shortages: [],
    });
    expect(await stockOf(a.id)).toBe(10);
    expect(await release(orderId)).toEqual({ status: "already_released" });
  });

  test("racing reserve and release of one order never leaves stock held by a released order", async () => {
    const a = await createProduct(f, { stock: 100 });
    for (let i = 0; i < 10; i++) {
      const orderId = crypto.randomUUID();
      const [reserved] = await Promise.all([
        reserve(orderId, [{ productId: a.id, quantity: 3 }]),
        release(orderId),
      ]);
      expect(await reservation(orderId)).toEqual({ status: "released" });
      expect(typeof reserved.ok).toBe("boolean");
    }
    expect(await stockOf(a.id)).toBe(100);
    expect(await holdsOf(a.id)).toEqual([]);
  });

  test("parallel duplicate reserves of one order id take stock once", async () => {
    const a = await createProduct(f, { stock: 10 });
    const orderId = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => reserve(orderId, [{ productId: a.id, quantity: 3 }])),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await stockOf(a.id)).toBe(7);
  });

  test("invalid reserve input is BAD_REQUEST and takes nothing", async () => {
    const a = await createProduct(f, { stock: 10 });
    for (const input of [
      { orderId: "x", items: [{ productId: a.id, quantity: 1 }] },
      { orderId: crypto.randomUUID(), items: [] },
      { orderId: crypto.randomUUID(), items: [{ productId: a.id, quantity: 0 }] },
      { orderId: crypto.randomUUID(), items: [{ productId: a.id, quantity: 1.5 }] },
      { orderId: crypto.randomUUID(), items: [{ productId: a.id, quantity: { $gt: 0 } }] },
      {
        orderId: crypto.randomUUID(),
        items: [
          { productId: a.id, quantity: 1 },
          { productId: a.id, quantity: 1 },
        ],
      },
      { orderId: crypto.randomUUID(), items: [{ productId: a.id, quantity: 1, price: 0 }] },
      { orderId: crypto.randomUUID(), items: [{ productId: a.id, quantity: 1, priceCents: 0 }] },
      { orderId: crypto.randomUUID(), items: [{ productId: a.id, quantity: 1, priceCents: 9.5 }] },
      { orderId: crypto.randomUUID(), items: [{ productId: a.id, quantity: 1, productName: "" }] },
      { orderId: crypto.randomUUID(), items: [{ productId: a.id, quantity: 1, productName: { $ne: "" } }] },
    ]) {
      expect((await f.trpc("mutation", "reserve", input)).status).toBe(400);
    }
    expect((await f.trpc("mutation", "release", { orderId: "nope" })).status).toBe(400);
    expect(await stockOf(a.id)).toBe(10);
  });
});

describe("reserve at the caller's price and name", () => {
  const patch = (id: string, body: Record<string, unknown>) =>
    f.call("PATCH", `/api/products/${id}`, { token: f.adminToken, body });

  test("a line sent with the current price and name is taken", async () => {
    const a = await createProduct(f, { price: 19.99, stock: 4 });
    const result = await reserve(crypto.randomUUID(), [
      { productId: a.id, quantity: 3, priceCents: 1999, productName: String(a.name) },
    ]);
    expect(result).toEqual({ ok: true, status: "reserved" });
    expect(await stockOf(a.id)).toBe(1);
  });

  test("a price changed since the caller read it: CATALOG_CHANGED, no line taken, same answer on retry", async () => {
    const a = await createProduct(f, { price: 19.99, stock: 4 });
    const b = await createProduct(f, { price: 5, stock: 4 });
    expect((await patch(a.id, { price: 21.5 })).status).toBe(200);
    const orderId = crypto.randomUUID();
    const items = [
      { productId: b.id, quantity: 1, priceCents: 500, productName: String(b.name) },
      { productId: a.id, quantity: 2, priceCents: 1999, productName: String(a.name) },
    ];
    const result = await reserve(orderId, items);
    expect(result).toEqual({
      ok: false,
      reason: "CATALOG_CHANGED",
      shortages: [{ productId: a.id, requested: 2, available: 4 }],
    });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([4, 4]);
    expect([await holdsOf(a.id), await holdsOf(b.id)]).toEqual([[], []]);
    expect(await reserve(orderId, items)).toEqual(result);
    expect(await reservation(orderId)).toEqual({ status: "released" });
  });

  test("a renamed product is a changed catalog too", async () => {
    const a = await createProduct(f, { stock: 4 });
    expect((await patch(a.id, { name: "Renamed mug" })).status).toBe(200);
    const result = await reserve(crypto.randomUUID(), [
      { productId: a.id, quantity: 1, priceCents: Math.round(a.price * 100), productName: String(a.name) },
    ]);
    expect(result).toMatchObject({ ok: false, reason: "CATALOG_CHANGED" });
    expect(await stockOf(a.id)).toBe(4);
  });

  test("a line from an order service of the previous release (`name`, not `productName`) is checked alike", async () => {
    const a = await createProduct(f, { stock: 4 });
    const priceCents = Math.round(a.price * 100);
    const legacy = (name: string) => [{ productId: a.id, quantity: 1, priceCents, name }];
    expect(await reserve(crypto.randomUUID(), legacy("Not its name"))).toMatchObject({
      ok: false,
      reason: "CATALOG_CHANGED",
    });
    expect(await reserve(crypto.randomUUID(), legacy(String(a.name)))).toEqual({
      ok: true,
      status: "reserved",
    });
    expect(await stockOf(a.id)).toBe(3);
  });

  test("an unavailable product is reported before a changed price, a changed price before a shortage", async () => {
    const changed = await createProduct(f, { price: 3, stock: 9 });
    const short = await createProduct(f, { price: 3, stock: 1 });
    const inactive = await createProduct(f, { price: 3, stock: 9, isActive: false });
    await patch(changed.id, { price: 4 });
    const line = (id: string, quantity: number) => ({ productId: id, quantity, priceCents: 300 });

    const first = await reserve(crypto.randomUUID(), [
      line(changed.id, 1),
      line(short.id, 2),
      line(inactive.id, 1),
    ]);
    expect(first).toMatchObject({ reason: "PRODUCT_UNAVAILABLE", shortages: [{ productId: inactive.id }] });
    const second = await reserve(crypto.randomUUID(), [line(changed.id, 1), line(short.id, 2)]);
    expect(second).toEqual({
      ok: false,
      reason: "CATALOG_CHANGED",
      shortages: [{ productId: changed.id, requested: 1, available: 9 }],
    });
    expect([await stockOf(changed.id), await stockOf(short.id)]).toEqual([9, 1]);
  });
});

describe("recovery from a reserve that died mid-way", () => {
  test("a retried reserve takes the record over and finishes it, taking each line once", async () => {
    const { a, b, orderId, items } = await halfDoneReservation(f, new Date(Date.now() - 1000));
    expect(await reserve(orderId, items)).toEqual({ ok: true, status: "reserved" });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([8, 7]);
    expect(await release(orderId)).toEqual({ status: "released" });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([10, 10]);
  });

  test("a release after the crash rolls back what was taken", async () => {
    const { a, b, orderId, items } = await halfDoneReservation(f, new Date(Date.now() - 1000));
    expect(await release(orderId)).toEqual({ status: "released" });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([10, 10]);
    expect(await reserve(orderId, items)).toMatchObject({ ok: false, reason: "RELEASED" });
  });

  test("getReservation reports an abandoned record as it stands and changes nothing", async () => {
    const { a, orderId } = await halfDoneReservation(f, new Date(Date.now() - 1000));
    expect(await reservation(orderId)).toEqual({ status: "reserving" });
    expect(await stockOf(a.id)).toBe(8);
  });

  test("getReservation answers at once while the owner's lease is live", async () => {
    // A lease far beyond the test's timeout: waiting it out would fail the test.
    const { orderId } = await halfDoneReservation(f, new Date(Date.now() + 3_600_000));
    expect(await reservation(orderId)).toEqual({ status: "reserving" });
  });

  test("while the owner's lease is live, a retry waits for its outcome", async () => {
    const { a, b, orderId, items } = await halfDoneReservation(f, new Date(Date.now() + 250));
    const started = Date.now();
    const pending = reserve(orderId, items);
    // The "owner" finishes the second line and marks the reservation reserved.
    await Bun.sleep(100);
    await f.db.products.collection.updateOne(
      { _id: b.id as never },
      { $inc: { stock: -3 }, $set: { [`holdsByOrder.${orderId}`]: 3 } },
    );
    await f.db.reservations.updateOne({ _id: orderId }, { $set: { status: "reserved" } });
    expect(await pending).toEqual({ ok: true, status: "reserved" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([8, 7]);
  });

  test("a reserve that fails on a database error drops its lease, so the retry resumes at once", async () => {
    const a = await createProduct(f, { stock: 10 });
    const b = await createProduct(f, { stock: 10 });
    // Holds the server cannot set a field in make the second line's update fail.
    await f.db.products.collection.updateOne({ _id: b.id as never }, { $set: { holdsByOrder: "broken" } });
    const orderId = crypto.randomUUID();
    const items = [
      { productId: a.id, quantity: 1 },
      { productId: b.id, quantity: 1 },
    ];
    const failed = await f.trpc("mutation", "reserve", { orderId, items });
    expect(failed.status).toBe(500);
    const record = await f.db.reservations.findById(orderId).lean();
    expect(record?.status).toBe("reserving");
    expect(record?.leaseUntil?.getTime()).toBe(0);
    expect(await stockOf(a.id)).toBe(9);

    await f.db.products.collection.updateOne({ _id: b.id as never }, { $set: { holdsByOrder: {} } });
    expect(await reserve(orderId, items)).toEqual({ ok: true, status: "reserved" });
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([9, 9]);
  });

  test("a release cut off while giving back is finished by the next release", async () => {
    const a = await createProduct(f, { stock: 10 });
    const orderId = crypto.randomUUID();
    await reserve(orderId, [{ productId: a.id, quantity: 4 }]);
    // Flipped to released, then the process died before the give-back.
    await f.db.reservations.updateOne({ _id: orderId }, { $set: { status: "released" } });
    expect(await stockOf(a.id)).toBe(6);
    expect(await release(orderId)).toEqual({ status: "already_released" });
    expect(await stockOf(a.id)).toBe(10);
    expect(await release(orderId)).toEqual({ status: "already_released" });
    expect(await stockOf(a.id)).toBe(10);
  });
});
