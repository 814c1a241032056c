import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type Customer,
  type Dependencies,
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

describe("placing an order through all three services", () => {
  test("201 with catalog prices, exact total, and the stock taken", async () => {
    const mug = await deps.createProduct(19.99, 10, "Mug");
    const pen = await deps.createProduct(0.1, 100, "Pen");
    const res = await orders.call("POST", "/api/orders", {
      token: alice.token,
      body: orderBody([
        { productId: mug, quantity: 3 },
        { productId: pen, quantity: 7 },
      ]),
    });
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
});
