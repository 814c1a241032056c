import type { OrderStatus } from "../repository/tables.ts";

export const ORDER_STATUSES = ["pending", "confirmed", "shipped", "delivered", "cancelled"] as const;

/** The only moves an order can make; cancelling returns its stock. */
const transitions: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["confirmed", "cancelled"],
  confirmed: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return transitions[from].includes(to);
}

/** States from which an order may still be cancelled. */
export const CANCELLABLE: readonly OrderStatus[] = ORDER_STATUSES.filter((s) =>
  canTransition(s, "cancelled"),
);
