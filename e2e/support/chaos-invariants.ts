import type { KeyRecord } from "./chaos-load.ts";
import type { Api, List, Order, Product } from "./client.ts";

export type State = { stock: Map<string, number>; orders: Order[] };

/** Current stock of `productIds` and every order, as an admin sees them through the public API. */
export async function readState(client: Api, adminToken: string, productIds: string[]): Promise<State> {
  const stock = new Map<string, number>();
  for (const id of productIds) {
    const res = await client.request<Product>("GET", `/api/products/${id}`);
    if (res.status !== 200) throw new Error(`GET /api/products/${id} → ${res.status}`);
    stock.set(id, res.body.stock);
  }
  const orders: Order[] = [];
  for (let page = 1; ; page++) {
    const res = await client.request<List<Order>>("GET", `/api/orders?page=${page}&limit=100`, {
      token: adminToken,
    });
    if (res.status !== 200) throw new Error(`GET /api/orders → ${res.status}`);
    orders.push(...res.body.items);
    if (res.body.items.length === 0 || orders.length >= res.body.total) break;
  }
  return { stock, orders };
}

/**
 * Products for which initial stock + admin deltas ≠ current stock + quantities of orders that are
 * not cancelled (API.md's invariant), or whose stock is negative.
 */
export function stockMismatches(state: State, expected: Map<string, number>) {
  const held = new Map<string, number>();
  for (const order of state.orders) {
    if (order.status === "cancelled") continue;
    for (const item of order.items) held.set(item.productId, (held.get(item.productId) ?? 0) + item.quantity);
  }
  return [...expected].flatMap(([productId, total]) => {
    const stock = state.stock.get(productId)!;
    const inOrders = held.get(productId) ?? 0;
    return stock < 0 || stock + inOrders !== total ? [{ productId, total, stock, inOrders }] : [];
  });
}

/**
 * What the orders and the keys' answers must agree on: every 201 exists, one key never answered
 * two ids, and every order of a load shopper is the one order of exactly one key.
 */
export function orderMismatches(state: State, keys: KeyRecord[]) {
  const listed = new Set(state.orders.map((o) => o.id));
  const idOfKey = new Map<string, string>();
  const problems: string[] = [];
  for (const record of keys) {
    const ids = new Set(record.ids);
    if (ids.size > 1) problems.push(`key ${record.key} answered several orders: ${[...ids].join(", ")}`);
    for (const id of ids) {
      if (!listed.has(id))
        problems.push(`order ${id} was answered 201 (key ${record.key}) but does not exist`);
      idOfKey.set(id, record.key);
    }
  }
  const shoppers = new Set(keys.map((k) => k.shopper.userId));
  for (const order of state.orders) {
    if (shoppers.has(order.userId) && !idOfKey.has(order.id))
      problems.push(`order ${order.id} exists but no key's answer named it (a duplicate or a lost key)`);
  }
  return problems;
}
