import { callJson } from "./system/http-json.ts";

type OrderPage = {
  items: { status: string; items: { productId: string; quantity: number }[] }[];
  total: number;
};

export type ProductBalance = {
  productId: string;
  initial: number;
  adminDeltas: number;
  current: number;
  heldByOrders: number;
  ok: boolean;
};

export type InvariantReport = {
  ok: boolean;
  products: ProductBalance[];
  /** Orders the API lists (every status), against the 201s the load generator received. */
  ordersListed: number;
  ordersCreated: number;
  /**
   * Listed orders whose 201 never reached the load generator: it drops the requests still in flight
   * when a run's time is up, and the service finishes them. At most one per connection per run.
   */
  finishedAfterClientLeft: number;
  /** How long after the load stopped the books balanced (requests still in flight finish first). */
  settledAfterMs: number;
};

export type InvariantInput = {
  productsUrl: string;
  ordersUrl: string;
  adminToken: string;
  initialStock: Map<string, number>;
  adminDeltas: Map<string, number>;
  ordersCreated: number;
  /** Requests that may have been in flight when runs ended (connections × runs). */
  maxAbandoned: number;
};

const settleTimeoutMs = 15_000;

/** Checks until the books balance or `settleTimeoutMs` passes, and reports the last check. */
export async function checkStockInvariant(input: InvariantInput): Promise<InvariantReport> {
  const started = performance.now();
  for (;;) {
    const report = await checkOnce(input, performance.now() - started);
    if (report.ok || performance.now() - started > settleTimeoutMs) return report;
    await Bun.sleep(250);
  }
}

/**
 * The stock invariant of API.md, read through the public API as an admin would: for every product
 * the order runs touched, initial stock + admin deltas = current stock + quantities held by orders
 * that are not cancelled; and every 201 is an order that exists (no more, no fewer).
 */
async function checkOnce(options: InvariantInput, elapsedMs: number): Promise<InvariantReport> {
  const held = new Map<string, number>();
  let ordersListed = 0;
  for (let page = 1; ; page++) {
    const body = await callJson<OrderPage>("GET", `${options.ordersUrl}/api/orders?page=${page}&limit=100`, {
      token: options.adminToken,
    });
    ordersListed += body.items.length;
    for (const order of body.items) {
      if (order.status === "cancelled") continue;
      for (const line of order.items)
        held.set(line.productId, (held.get(line.productId) ?? 0) + line.quantity);
    }
    if (body.items.length === 0 || page * 100 >= body.total) break;
  }
  const products = await Promise.all(
    [...options.initialStock].map(async ([productId, initial]) => {
      const { stock } = await callJson<{ stock: number }>(
        "GET",
        `${options.productsUrl}/api/products/${productId}`,
        { token: options.adminToken },
      );
      const adminDeltas = options.adminDeltas.get(productId) ?? 0;
      const heldByOrders = held.get(productId) ?? 0;
      return {
        productId,
        initial,
        adminDeltas,
        current: stock,
        heldByOrders,
        ok: stock >= 0 && initial + adminDeltas === stock + heldByOrders,
      };
    }),
  );
  const finishedAfterClientLeft = ordersListed - options.ordersCreated;
  return {
    // Fewer listed orders than 201s would be a lost order; more than the abandoned requests, a phantom one.
    ok:
      products.every((p) => p.ok) &&
      finishedAfterClientLeft >= 0 &&
      finishedAfterClientLeft <= options.maxAbandoned,
    products,
    ordersListed,
    ordersCreated: options.ordersCreated,
    finishedAfterClientLeft,
    settledAfterMs: Math.round(elapsedMs),
  };
}
