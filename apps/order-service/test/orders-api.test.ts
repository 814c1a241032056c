import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type Customer,
  type Dependencies,
  type Json,
  type OrderApp,
  orderBody,
  startDependencies,
  startOrderApp,
} from "./support/stack.ts";

let deps: Dependencies;
let orders: OrderApp;
let alice: Customer;
let bob: Customer;

beforeAll(async () => {
  deps = await startDependencies();
  orders = await startOrderApp(deps);
  [alice, bob] = await Promise.all([deps.register(), deps.register()]);
});
afterAll(async () => {
  await orders?.close();
  await deps?.stop();
});

const place = (token: string, body: unknown, headers: Record<string, string> = {}) =>
  orders.call("POST", "/api/orders", { token, body, headers });

const errorCode = (body: Json) => (body.error as { code: string }).code;

describe("placing an order through all three services", () => {
  test("201 with catalog prices, exact total, and the stock taken", async () => {
    const mug = await deps.createProduct(19.99, 10, "Mug");
    const pen = await deps.createProduct(0.1, 100, "Pen");
    const res = await place(
      alice.token,
      orderBody([
        { productId: mug, quantity: 3 },
        { productId: pen, quantity: 7 },
      ]),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userId: alice.userId,
      status: "pending",
      totalAmount: 60.67,
      paymentMethod: "card",
      items: [
        { productId: mug, productName: "Mug", quantity: 3, price: 19.99 },
        { productId: pen, productName: "Pen", quantity: 7, price: 0.1 },
      ],
    });
    expect((await deps.product(mug)).stock).toBe(7);
    expect((await deps.product(pen)).stock).toBe(93);
    const got = await orders.call("GET", `/api/orders/${res.body.id}`, { token: alice.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  test("the total is exact where binary floats are not (0.1 + 0.2)", async () => {
    const a = await deps.createProduct(0.1, 5);
    const b = await deps.createProduct(0.2, 5);
    const res = await place(
      alice.token,
      orderBody([
        { productId: a, quantity: 1 },
        { productId: b, quantity: 1 },
      ]),
    );
    expect(res.body.totalAmount).toBe(0.3);
  });

  test("the caller's own userId is accepted; an admin may place for another user", async () => {
    const p = await deps.createProduct(5, 10);
    const own = await place(
      alice.token,
      orderBody([{ productId: p, quantity: 1 }], { userId: alice.userId }),
    );
    expect(own.status).toBe(201);
    const forBob = await place(
      deps.adminToken,
      orderBody([{ productId: p, quantity: 1 }], { userId: bob.userId }),
    );
    expect(forBob.status).toBe(201);
    expect(forBob.body.userId).toBe(bob.userId);
  });

  test("another user's userId in the body is 403 and takes nothing", async () => {
    const p = await deps.createProduct(5, 10);
    const res = await place(alice.token, orderBody([{ productId: p, quantity: 1 }], { userId: bob.userId }));
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe("FORBIDDEN");
    expect((await deps.product(p)).stock).toBe(10);
  });

  test("an admin naming an unknown user is a 400", async () => {
    const p = await deps.createProduct(5, 10);
    const res = await place(
      deps.adminToken,
      orderBody([{ productId: p, quantity: 1 }], { userId: crypto.randomUUID() }),
    );
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("VALIDATION_ERROR");
  });

  test("without a token the answer is 401", async () => {
    const res = await orders.call("POST", "/api/orders", { body: orderBody([]) });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("UNAUTHORIZED");
  });
});

describe("validation", () => {
  const id = crypto.randomUUID();
  const bad: [string, unknown][] = [
    ["quantity 0", orderBody([{ productId: id, quantity: 0 }])],
    ["quantity 101", orderBody([{ productId: id, quantity: 101 }])],
    ["fractional quantity", orderBody([{ productId: id, quantity: 1.5 }])],
    ["no lines", orderBody([])],
    [
      "51 lines",
      orderBody(Array.from({ length: 51 }, () => ({ productId: crypto.randomUUID(), quantity: 1 }))),
    ],
    [
      "a product listed twice",
      orderBody([
        { productId: id, quantity: 1 },
        { productId: id, quantity: 2 },
      ]),
    ],
    ["a client price", orderBody([{ productId: id, quantity: 1, price: 0.01 }])],
    ["a client total", orderBody([{ productId: id, quantity: 1 }], { totalAmount: 1 })],
    ["a client status", orderBody([{ productId: id, quantity: 1 }], { status: "delivered" })],
    ["an unknown payment method", orderBody([{ productId: id, quantity: 1 }], { paymentMethod: "iou" })],
    ["a malformed product id", orderBody([{ productId: "nope", quantity: 1 }])],
    [
      "an address without a city",
      {
        items: [{ productId: id, quantity: 1 }],
        paymentMethod: "card",
        shippingAddress: { line1: "x", postalCode: "1", country: "US" },
      },
    ],
    [
      "an address with extra fields",
      orderBody([{ productId: id, quantity: 1 }], {
        shippingAddress: { line1: "x", city: "y", postalCode: "1", country: "US", floor: 3 },
      }),
    ],
  ];
  for (const [name, body] of bad)
    test(`${name} is 400 VALIDATION_ERROR`, async () => {
      const res = await place(alice.token, body);
      expect(res.status).toBe(400);
      expect(errorCode(res.body)).toBe("VALIDATION_ERROR");
      expect((res.body.error as Json).requestId).toBeString();
    });

  test("a malformed Idempotency-Key is 400", async () => {
    const p = await deps.createProduct(1, 1);
    const res = await place(alice.token, orderBody([{ productId: p, quantity: 1 }]), {
      "idempotency-key": "x".repeat(300),
    });
    expect(res.status).toBe(400);
    expect((await deps.product(p)).stock).toBe(1);
  });

  test("a malformed order id is 400, an unknown one 404", async () => {
    expect((await orders.call("GET", "/api/orders/nope", { token: alice.token })).status).toBe(400);
    const res = await orders.call("GET", `/api/orders/${crypto.randomUUID()}`, { token: alice.token });
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe("NOT_FOUND");
  });
});

describe("catalog refusals", () => {
  test("not enough stock for one line: 400 INSUFFICIENT_STOCK with details, nothing taken", async () => {
    const plenty = await deps.createProduct(2, 50);
    const scarce = await deps.createProduct(3, 2);
    const res = await place(
      alice.token,
      orderBody([
        { productId: plenty, quantity: 5 },
        { productId: scarce, quantity: 3 },
      ]),
    );
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("INSUFFICIENT_STOCK");
    expect((res.body.error as Json).details).toEqual([{ productId: scarce, requested: 3, available: 2 }]);
    expect((await deps.product(plenty)).stock).toBe(50);
    expect((await deps.product(scarce)).stock).toBe(2);
  });

  test("an unknown product is 400 PRODUCT_UNAVAILABLE", async () => {
    const known = await deps.createProduct(2, 5);
    const unknown = crypto.randomUUID();
    const res = await place(
      alice.token,
      orderBody([
        { productId: known, quantity: 1 },
        { productId: unknown, quantity: 1 },
      ]),
    );
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("PRODUCT_UNAVAILABLE");
    expect((res.body.error as Json).details).toEqual([{ productId: unknown }]);
    expect((await deps.product(known)).stock).toBe(5);
  });

  test("an inactive product is 400 PRODUCT_UNAVAILABLE", async () => {
    const gone = await deps.createProduct(2, 5);
    await deps.deactivateProduct(gone);
    const res = await place(alice.token, orderBody([{ productId: gone, quantity: 1 }]));
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("PRODUCT_UNAVAILABLE");
  });
});

// The order service reuses what it read about a product for later orders (catalog cache); the
// reservation's price-and-name check keeps every order exact anyway.
describe("a catalog that changed since the product was last ordered", () => {
  const catalogReads = async () => {
    const text = await (await orders.app.handle(new Request("http://localhost/metrics"))).text();
    const match =
      /dependency_call_duration_seconds_count\{service="product-service",procedure="getMany",outcome="success"\} (\d+)/.exec(
        text,
      );
    return Number(match?.[1] ?? 0);
  };

  test("a product ordered a moment ago is priced without reading the catalog again", async () => {
    const cup = await deps.createProduct(3, 10);
    expect((await place(alice.token, orderBody([{ productId: cup, quantity: 1 }]))).status).toBe(201);
    const before = await catalogReads();
    const again = await place(bob.token, orderBody([{ productId: cup, quantity: 1 }]));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ items: [{ price: 3 }] });
    expect(await catalogReads()).toBe(before);
  });

  test("a new price and name are what the next order records", async () => {
    const lamp = await deps.createProduct(10, 10, "Lamp");
    const first = await place(alice.token, orderBody([{ productId: lamp, quantity: 1 }]));
    expect(first.body).toMatchObject({ items: [{ productName: "Lamp", price: 10 }], totalAmount: 10 });
    await deps.updateProduct(lamp, { price: 12.5, name: "Desk lamp" });
    const before = await catalogReads();

    const second = await place(alice.token, orderBody([{ productId: lamp, quantity: 2 }]));
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      items: [{ productId: lamp, productName: "Desk lamp", quantity: 2, price: 12.5 }],
      totalAmount: 25,
    });
    expect((await deps.product(lamp)).stock).toBe(7);
    // Priced from the cache first, refused at the old price, then priced from one fresh read.
    expect(await catalogReads()).toBe(before + 1);
    const listed = await orders.call("GET", "/api/orders?page=1&limit=100", { token: alice.token });
    const forLamp = (listed.body.items as { items: { productId: string }[] }[]).filter(
      (o) => o.items[0]?.productId === lamp,
    );
    // The attempt refused at the old price is not an order.
    expect(forLamp).toHaveLength(2);
  });

  test("a product deactivated since is 400 PRODUCT_UNAVAILABLE, nothing taken", async () => {
    const chair = await deps.createProduct(40, 5);
    expect((await place(alice.token, orderBody([{ productId: chair, quantity: 1 }]))).status).toBe(201);
    await deps.deactivateProduct(chair);
    const res = await place(alice.token, orderBody([{ productId: chair, quantity: 1 }]));
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe("PRODUCT_UNAVAILABLE");
    expect((await deps.product(chair)).stock).toBe(4);
  });

  test("stock sold since is 400 INSUFFICIENT_STOCK with what is left now", async () => {
    const vase = await deps.createProduct(8, 3);
    expect((await place(alice.token, orderBody([{ productId: vase, quantity: 2 }]))).status).toBe(201);
    const res = await place(bob.token, orderBody([{ productId: vase, quantity: 2 }]));
    expect(res.status).toBe(400);
    expect((res.body.error as Json).details).toEqual([{ productId: vase, requested: 2, available: 1 }]);
    expect((await deps.product(vase)).stock).toBe(1);
  });
});

describe("who sees what", () => {
  let aliceOrder: Json;
  beforeAll(async () => {
    const p = await deps.createProduct(4.5, 20);
    aliceOrder = (await place(alice.token, orderBody([{ productId: p, quantity: 2 }]))).body;
  });

  test("another customer reading or cancelling the order gets 404", async () => {
    const read = await orders.call("GET", `/api/orders/${aliceOrder.id}`, { token: bob.token });
    expect(read.status).toBe(404);
    const cancel = await orders.call("POST", `/api/orders/${aliceOrder.id}/cancel`, { token: bob.token });
    expect(cancel.status).toBe(404);
    const still = await orders.call("GET", `/api/orders/${aliceOrder.id}`, { token: alice.token });
    expect(still.body.status).toBe("pending");
  });

  test("lists hold the caller's orders only, in the list shape", async () => {
    const mine = await orders.call("GET", "/api/orders?page=1&limit=100", { token: alice.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ page: 1, limit: 100 });
    const items = mine.body.items as Json[];
    expect(items.length).toBe(mine.body.total as number);
    expect(items.every((o) => o.userId === alice.userId)).toBe(true);
    expect(items.map((o) => o.id)).toContain(aliceOrder.id);
    const theirs = await orders.call("GET", "/api/orders", { token: bob.token });
    expect((theirs.body.items as Json[]).map((o) => o.id)).not.toContain(aliceOrder.id);
  });

  test("a customer asking for another user's list gets 403; an admin may filter by user and status", async () => {
    const denied = await orders.call("GET", `/api/orders?userId=${alice.userId}`, { token: bob.token });
    expect(denied.status).toBe(403);
    const admin = await orders.call("GET", `/api/orders?userId=${alice.userId}&status=pending&limit=100`, {
      token: deps.adminToken,
    });
    expect(admin.status).toBe(200);
    const items = admin.body.items as Json[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((o) => o.userId === alice.userId && o.status === "pending")).toBe(true);
    const all = await orders.call("GET", "/api/orders?limit=100", { token: deps.adminToken });
    expect(new Set((all.body.items as Json[]).map((o) => o.userId)).size).toBeGreaterThan(1);
  });

  test("an admin can read any order; bad list queries are 400", async () => {
    const res = await orders.call("GET", `/api/orders/${aliceOrder.id}`, { token: deps.adminToken });
    expect(res.status).toBe(200);
    expect((await orders.call("GET", "/api/orders?limit=0", { token: alice.token })).status).toBe(400);
    expect((await orders.call("GET", "/api/orders?status=lost", { token: alice.token })).status).toBe(400);
  });
});

describe("status changes", () => {
  const newOrder = async (stock = 10, quantity = 2) => {
    const productId = await deps.createProduct(10, stock);
    const res = await place(alice.token, orderBody([{ productId, quantity }]));
    expect(res.status).toBe(201);
    return { id: res.body.id as string, productId };
  };
  const setStatus = (id: string, status: string, token = deps.adminToken) =>
    orders.call("PATCH", `/api/orders/${id}/status`, { token, body: { status } });

  test("pending → confirmed → shipped → delivered; nothing after delivered", async () => {
    const { id } = await newOrder();
    for (const status of ["confirmed", "shipped", "delivered"]) {
      const res = await setStatus(id, status);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(status);
    }
    const res = await setStatus(id, "cancelled");
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe("INVALID_TRANSITION");
  });

  test("skipping a step or going back is 409 INVALID_TRANSITION", async () => {
    const { id } = await newOrder();
    expect((await setStatus(id, "shipped")).status).toBe(409);
    expect((await setStatus(id, "pending")).status).toBe(409);
    expect((await setStatus(id, "delivered")).status).toBe(409);
    expect((await setStatus(id, "confirmed")).status).toBe(200);
    expect((await setStatus(id, "pending")).status).toBe(409);
  });

  test("only admins change statuses; a bad status is 400", async () => {
    const { id } = await newOrder();
    expect((await setStatus(id, "confirmed", alice.token)).status).toBe(403);
    expect((await setStatus(id, "lost")).status).toBe(400);
    expect((await setStatus(crypto.randomUUID(), "confirmed")).status).toBe(404);
  });

  test("cancel returns the stock exactly once; a second cancel is 409 and changes nothing", async () => {
    const { id, productId } = await newOrder(10, 4);
    expect((await deps.product(productId)).stock).toBe(6);
    const first = await orders.call("POST", `/api/orders/${id}/cancel`, { token: alice.token });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe("cancelled");
    expect((await deps.product(productId)).stock).toBe(10);
    const second = await orders.call("POST", `/api/orders/${id}/cancel`, { token: alice.token });
    expect(second.status).toBe(409);
    expect(errorCode(second.body)).toBe("INVALID_TRANSITION");
    expect((await setStatus(id, "cancelled")).status).toBe(409);
    expect((await deps.product(productId)).stock).toBe(10);
    const row = await orders.sagaDeps.orders.findById(id);
    expect(row?.releasePending).toBe(false);
    expect(row?.stockReleasedAt).toBeInstanceOf(Date);
  });

  test("parallel cancels: one wins, stock returned once", async () => {
    const { id, productId } = await newOrder(10, 3);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        orders.call("POST", `/api/orders/${id}/cancel`, { token: alice.token }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(4);
    expect((await deps.product(productId)).stock).toBe(10);
  });

  test("an admin cancelling a confirmed order restocks; a shipped order cannot be cancelled", async () => {
    const confirmed = await newOrder(10, 2);
    await setStatus(confirmed.id, "confirmed");
    expect((await setStatus(confirmed.id, "cancelled")).status).toBe(200);
    expect((await deps.product(confirmed.productId)).stock).toBe(10);

    const shipped = await newOrder(10, 2);
    await setStatus(shipped.id, "confirmed");
    await setStatus(shipped.id, "shipped");
    const res = await orders.call("POST", `/api/orders/${shipped.id}/cancel`, { token: alice.token });
    expect(res.status).toBe(409);
    expect((await deps.product(shipped.productId)).stock).toBe(8);
  });
});

describe("Idempotency-Key", () => {
  test("a replay returns the first order (201, same id) and takes stock once", async () => {
    const p = await deps.createProduct(3, 10);
    const body = orderBody([{ productId: p, quantity: 2 }]);
    const headers = { "idempotency-key": `k-${crypto.randomUUID()}` };
    const first = await place(alice.token, body, headers);
    const again = await place(alice.token, body, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await deps.product(p)).stock).toBe(8);
  });

  test("the same key with another body is 409 IDEMPOTENCY_CONFLICT", async () => {
    const p = await deps.createProduct(3, 10);
    const headers = { "idempotency-key": `k-${crypto.randomUUID()}` };
    expect((await place(alice.token, orderBody([{ productId: p, quantity: 1 }]), headers)).status).toBe(201);
    const res = await place(alice.token, orderBody([{ productId: p, quantity: 2 }]), headers);
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe("IDEMPOTENCY_CONFLICT");
    expect((await deps.product(p)).stock).toBe(9);
  });

  test("ten parallel requests with one key create one order", async () => {
    const p = await deps.createProduct(3, 100);
    const body = orderBody([{ productId: p, quantity: 5 }]);
    const headers = { "idempotency-key": `k-${crypto.randomUUID()}` };
    const results = await Promise.all(Array.from({ length: 10 }, () => place(alice.token, body, headers)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await deps.product(p)).stock).toBe(95);
  });

  test("keys belong to one user: the same key from another user is another order", async () => {
    const p = await deps.createProduct(3, 10);
    const body = orderBody([{ productId: p, quantity: 1 }]);
    const headers = { "idempotency-key": `shared-${crypto.randomUUID()}` };
    const a = await place(alice.token, body, headers);
    const b = await place(bob.token, body, headers);
    expect(a.body.id).not.toBe(b.body.id);
    expect((await deps.product(p)).stock).toBe(8);
  });

  test("a key whose attempt was refused is free for a fresh attempt", async () => {
    const p = await deps.createProduct(3, 1);
    const body = orderBody([{ productId: p, quantity: 1 }]);
    const headers = { "idempotency-key": `k-${crypto.randomUUID()}` };
    const other = await place(bob.token, body);
    expect(other.status).toBe(201);
    expect((await place(alice.token, body, headers)).status).toBe(400);
    await orders.call("POST", `/api/orders/${other.body.id}/cancel`, { token: bob.token });
    const retry = await place(alice.token, body, headers);
    expect(retry.status).toBe(201);
  });
});

describe("under load", () => {
  test("100 parallel orders by 10 users for 25 units: exactly 25 sold, the rest 400, invariant holds", async () => {
    const initial = 25;
    const p = await deps.createProduct(7.77, initial);
    const buyers = await Promise.all(Array.from({ length: 10 }, () => deps.register()));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        place(buyers[i % 10]!.token, orderBody([{ productId: p, quantity: 1 }])),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 400);
    expect(created).toHaveLength(25);
    expect(refused).toHaveLength(75);
    expect(refused.every((r) => errorCode(r.body) === "INSUFFICIENT_STOCK")).toBe(true);

    const held = async () => {
      const all = await orders.call("GET", "/api/orders?limit=100", { token: deps.adminToken });
      return (all.body.items as Json[])
        .filter((o) => o.status !== "cancelled")
        .flatMap((o) => o.items as Json[])
        .filter((i) => i.productId === p)
        .reduce((sum, i) => sum + (i.quantity as number), 0);
    };
    expect((await deps.product(p)).stock).toBe(0);
    expect(await held()).toBe(25);

    for (const r of created.slice(0, 5))
      await orders.call("POST", `/api/orders/${r.body.id}/cancel`, { token: deps.adminToken });
    const stock = (await deps.product(p)).stock;
    expect(stock).toBe(5);
    expect(stock + (await held())).toBe(initial);
  });
});

describe("metrics", () => {
  test("business and dependency metrics are on /metrics", async () => {
    // Orders and calls are counted before the request answers, so the tests above are all in.
    const res = await orders.app.handle(new Request("http://localhost/metrics"));
    const text = await res.text();
    expect(text).toMatch(/orders_placed_total\{[^}]*\} [1-9]/);
    expect(text).toContain('orders_rejected_total{reason="insufficient_stock"');
    expect(text).toContain('orders_rejected_total{reason="idempotency_conflict"');
    expect(text).toContain('orders_rejected_total{reason="product_unavailable"');
    expect(text).toMatch(
      /dependency_call_duration_seconds_count\{service="product-service",procedure="reserve",outcome="success"/,
    );
    expect(text).toMatch(
      /dependency_call_duration_seconds_count\{service="user-service",procedure="getById"/,
    );
  });
});
