import { adminFirst, isAdmin, type Principal, signedIn } from "@ecom/auth";
import {
  ConflictError,
  errorBodySchema,
  ForbiddenError,
  NotFoundError,
  ValidationFailedError,
} from "@ecom/errors";
import { bearerSecurity, routeGroup } from "@ecom/service-kit";
import { CANCELLABLE } from "../domain/order-status.ts";
import type { OrderRecord } from "../repository/orders-repository.ts";
import { changeStatus } from "../saga/change-status.ts";
import { type PlaceOrderOptions, placeOrder } from "../saga/place-order.ts";
import type { SagaDeps } from "../saga/saga-deps.ts";
import {
  idempotencyKeySchema,
  listOrdersQuerySchema,
  orderIdParamsSchema,
  orderListSchema,
  orderSchema,
  PAYMENT_METHODS,
  placeOrderBodySchema,
  updateStatusBodySchema,
} from "../schemas/order-schemas.ts";
import { toOrderView } from "../views/order-view.ts";

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  503: errorBodySchema,
};

function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success)
    throw new ValidationFailedError("Idempotency-Key header is invalid", [
      { path: "Idempotency-Key", message: parsed.error.issues[0]?.message ?? "invalid" },
    ]);
  return parsed.data;
}

export function orderRoutes(deps: SagaDeps & { placing: PlaceOrderOptions }) {
  /** An order someone may not see is reported exactly like one that does not exist. */
  async function visibleOrder(principal: Principal, id: string): Promise<OrderRecord> {
    const order = await deps.orders.findVisible(id);
    if (!order || (order.userId !== principal.userId && !isAdmin(principal)))
      throw new NotFoundError("Order not found");
    return order;
  }

  return (
    routeGroup("/api/orders")
      // Who is asking is settled before the body is validated: no token is a 401 whatever the body.
      .onTransform(signedIn)
      .post(
        "",
        async ({ authenticate, body, headers, set, requestId, log }) => {
          const principal = await authenticate();
          const idempotencyKey = parseIdempotencyKey(headers["idempotency-key"]);
          const { order, replayed } = await placeOrder(
            deps,
            deps.placing,
            { principal, body, ...(idempotencyKey ? { idempotencyKey } : {}) },
            { requestId, log },
          );
          set.status = 201;
          if (replayed) set.headers["idempotent-replayed"] = "true";
          return toOrderView(order);
        },
        {
          body: placeOrderBodySchema,
          response: { 201: orderSchema, ...errors },
          detail: {
            summary: "Place an order",
            description:
              "Prices and names come from the catalog; the client sends product ids and quantities only. " +
              "Stock is taken before the 201. Quantity 1..100, 1..50 lines, each product once. " +
              `\`paymentMethod\` is one of ${PAYMENT_METHODS.map((m) => `\`${m}\``).join(", ")}. ` +
              "`userId` may name another user only for admins. An `Idempotency-Key` header (1..255 printable " +
              "characters, kept 24 h) makes retries safe: the same body returns the first order " +
              "(header `idempotent-replayed: true`), another body is 409 `IDEMPOTENCY_CONFLICT`.",
            tags: ["Orders"],
            security: bearerSecurity,
          },
        },
      )
      .get(
        "",
        async ({ authenticate, query }) => {
          const principal = await authenticate();
          if (query.userId && query.userId !== principal.userId && !isAdmin(principal))
            throw new ForbiddenError("Only admins can list other users' orders");
          const userId = isAdmin(principal) ? query.userId : principal.userId;
          const { items, total } = await deps.orders.list({
            ...(userId ? { userId } : {}),
            ...(query.status ? { status: query.status } : {}),
            page: query.page,
            limit: query.limit,
          });
          return { items: items.map(toOrderView), page: query.page, limit: query.limit, total };
        },
        {
          query: listOrdersQuerySchema,
          response: { 200: orderListSchema, ...errors },
          detail: {
            summary: "List orders",
            description:
              "Newest first. Customers see their own orders; admins see all and may filter by `userId`.",
            tags: ["Orders"],
            security: bearerSecurity,
          },
        },
      )
      .get(
        "/:id",
        async ({ authenticate, params }) => toOrderView(await visibleOrder(await authenticate(), params.id)),
        {
          params: orderIdParamsSchema,
          response: { 200: orderSchema, ...errors },
          detail: {
            summary: "Get an order",
            description: "Owner or admin; anyone else gets 404.",
            tags: ["Orders"],
            security: bearerSecurity,
          },
        },
      )
      .post(
        "/:id/cancel",
        async ({ authenticate, params, requestId, log }) => {
          const principal = await authenticate();
          const order = await visibleOrder(principal, params.id);
          if (!CANCELLABLE.includes(order.status))
            throw new ConflictError("INVALID_TRANSITION", `A ${order.status} order cannot be cancelled`, {
              from: order.status,
              to: "cancelled",
            });
          return toOrderView(await changeStatus(deps, order, "cancelled", { requestId, log }));
        },
        {
          params: orderIdParamsSchema,
          response: { 200: orderSchema, ...errors },
          detail: {
            summary: "Cancel an order",
            description:
              "Owner or admin, while `pending` or `confirmed`. The stock goes back to the catalog once.",
            tags: ["Orders"],
            security: bearerSecurity,
          },
        },
      )
      .patch(
        "/:id/status",
        async ({ authenticate, params, body, requestId, log }) => {
          const principal = await authenticate();
          const order = await visibleOrder(principal, params.id);
          return toOrderView(await changeStatus(deps, order, body.status, { requestId, log }));
        },
        {
          transform: adminFirst,
          params: orderIdParamsSchema,
          body: updateStatusBodySchema,
          response: { 200: orderSchema, ...errors },
          detail: {
            summary: "Change an order's status (admin)",
            description:
              "pending→confirmed→shipped→delivered, and pending/confirmed→cancelled (returns the stock). " +
              "Anything else is 409 `INVALID_TRANSITION`.",
            tags: ["Orders"],
            security: bearerSecurity,
          },
        },
      )
  );
}
