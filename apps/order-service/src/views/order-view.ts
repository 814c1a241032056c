import { centsToAmount } from "../domain/money.ts";
import type { OrderRecord } from "../repository/orders-repository.ts";
import type { OrderView } from "../schemas/order-schemas.ts";

/** The public shape of an order: money as decimal numbers, timestamps as ISO strings. */
export function toOrderView(order: OrderRecord): OrderView {
  return {
    id: order.id,
    userId: order.user_id,
    items: order.items.map((item) => ({
      productId: item.product_id,
      productName: item.product_name,
      quantity: item.quantity,
      price: centsToAmount(item.price_cents),
    })),
    totalAmount: centsToAmount(order.total_cents),
    status: order.status,
    shippingAddress: order.shipping_address,
    paymentMethod: order.payment_method,
    createdAt: order.created_at.toISOString(),
    updatedAt: order.updated_at.toISOString(),
  };
}
