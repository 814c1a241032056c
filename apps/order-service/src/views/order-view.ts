import { centsToAmount } from "../domain/money.ts";
import type { OrderRecord } from "../repository/orders-repository.ts";
import type { OrderView } from "../schemas/order-schemas.ts";

/** The public shape of an order: money as decimal numbers, timestamps as ISO strings. */
export function toOrderView(order: OrderRecord): OrderView {
  return {
    id: order.id,
    userId: order.userId,
    items: order.items.map((item) => ({
      productId: item.productId,
      productName: item.productName,
      quantity: item.quantity,
      price: centsToAmount(item.priceCents),
    })),
    totalAmount: centsToAmount(order.totalCents),
    status: order.status,
    shippingAddress: order.shippingAddress,
    paymentMethod: order.paymentMethod,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
