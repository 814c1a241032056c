import { isAdmin, type Principal } from "@ecom/auth";
import {
  AppError,
  ConflictError,
  DependencyUnavailableError,
  ForbiddenError,
  ValidationFailedError,
} from "@ecom/errors";
import { totalCents } from "../domain/money.ts";
import { requestHash } from "../domain/request-hash.ts";
import type { OrderRecord } from "../repository/orders-repository.ts";
import type { PlaceOrderBody } from "../schemas/order-schemas.ts";
import type { CallContext, SagaClients, SagaDeps } from "./saga-deps.ts";

export type PlaceOrderOptions = {
  /** How long a repeated request waits for the first one holding the same Idempotency-Key. */
  idempotencyWaitMs: number;
  idempotencyPollMs?: number;
  /** Fault-injection hook (tests only): runs right after the product service confirmed the reservation. */
  afterReserve?: () => void;
};

export type PlaceOrderInput = {
  principal: Principal;
  body: PlaceOrderBody;
  idempotencyKey?: string;
};

type Shortage = { productId: string; requested: number; available: number };

class ProductUnavailableError extends AppError {
  constructor(details: unknown) {
    super(400, "PRODUCT_UNAVAILABLE", "One or more products are unknown or no longer sold", details);
  }
}

class InsufficientStockError extends AppError {
  constructor(details: Shortage[]) {
    super(400, "INSUFFICIENT_STOCK", "Not enough stock for one or more items", details);
  }
}

class RequestInProgressError extends AppError {
  constructor() {
    super(
      503,
      "DEPENDENCY_UNAVAILABLE",
      "A request with this Idempotency-Key is still being processed; retry later",
      { reason: "IDEMPOTENT_REQUEST_IN_PROGRESS" },
      { "retry-after": "5" },
    );
  }
}

/**
 * Rounds of one request: a round ends early when a concurrent request with the same key won the insert,
 * or when the catalog changed a price or name since the order was priced. After this many the caller
 * should retry.
 */
const MAX_ROUNDS = 5;

/**
 * The placing saga. Everything that can refuse the order cheaply happens first (caller rights, user,
 * catalog); then the order is written as "reserving" before any stock moves, so every later crash
 * leaves a row the recovery loop settles; then the stock is reserved under the order's id and the
 * order becomes visible. Returns the order and whether it is a replay of an earlier request.
 */
export async function placeOrder(
  deps: SagaDeps<SagaClients>,
  options: PlaceOrderOptions,
  input: PlaceOrderInput,
  ctx: CallContext,
): Promise<{ order: OrderRecord; replayed: boolean }> {
  try {
    return await runSaga(deps, options, input, ctx);
  } catch (error) {
    if (error instanceof DependencyUnavailableError) deps.metrics.orderRejected("dependency_unavailable");
    throw error;
  }
}

async function runSaga(
  deps: SagaDeps<SagaClients>,
  options: PlaceOrderOptions,
  input: PlaceOrderInput,
  ctx: CallContext,
): Promise<{ order: OrderRecord; replayed: boolean }> {
  const { principal, body } = input;
  if (body.userId && body.userId !== principal.userId && !isAdmin(principal))
    throw new ForbiddenError("You can only place orders for yourself");
  const ownerId = body.userId ?? principal.userId;
  const key = input.idempotencyKey;
  const hash = key ? requestHash(body) : "";

  let lastRoundEnded: "key taken" | "catalog changed" = "key taken";
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (key) {
      const earlier = await awaitEarlierRequest(deps, options, principal.userId, key, hash);
      if (earlier) return { order: earlier, replayed: true };
    }
    const lines = await priceLines(deps, ctx, principal, ownerId, body);
    const orderId = crypto.randomUUID();
    const inserted = await deps.orders.insertReserving({
      id: orderId,
      userId: ownerId,
      totalCents: totalCents(lines),
      shippingAddress: body.shippingAddress,
      paymentMethod: body.paymentMethod,
      items: lines,
      ...(key ? { idempotency: { userId: principal.userId, key, requestHash: hash } } : {}),
    });
    // A concurrent request with the same key won the insert: replay (or wait for) that one instead.
    if (!inserted) {
      lastRoundEnded = "key taken";
      continue;
    }
    const order = await reserve(deps, options, orderId, lines, ctx);
    // Priced with a name or price the catalog no longer has: price again from a fresh read.
    if (order === CATALOG_CHANGED) {
      lastRoundEnded = "catalog changed";
      continue;
    }
    return { order, replayed: false };
  }
  if (lastRoundEnded === "catalog changed") throw new DependencyUnavailableError("product-service");
  throw new RequestInProgressError();
}

/**
 * Resolves an Idempotency-Key seen before: the same body gets the first order back, waiting while that
 * request is still running; a different body is a conflict. Undefined when there is no live order for
 * the key (never used, or its saga failed), so the caller places a fresh one.
 */
async function awaitEarlierRequest(
  deps: SagaDeps<SagaClients>,
  options: PlaceOrderOptions,
  userId: string,
  key: string,
  hash: string,
): Promise<OrderRecord | undefined> {
  const deadline = performance.now() + options.idempotencyWaitMs;
  for (;;) {
    const used = await deps.idempotency.find(userId, key);
    if (!used) return undefined;
    if (used.requestHash !== hash) {
      deps.metrics.orderRejected("idempotency_conflict");
      throw new ConflictError(
        "IDEMPOTENCY_CONFLICT",
        "This Idempotency-Key was already used with a different request body",
      );
    }
    const order = await deps.orders.findById(used.orderId);
    if (order?.sagaState === "reserved") return order;
    if (performance.now() > deadline) throw new RequestInProgressError();
    await Bun.sleep(options.idempotencyPollMs ?? 50);
  }
}

type PricedLine = { productId: string; productName: string; quantity: number; priceCents: number };

/**
 * Checks the owner is an active user (or was, within the active-user cache's few seconds) and copies
 * names and prices from the catalog: from the catalog cache when it knows every product as active and
 * in stock, else from one getMany call (whose answer is cached). The reservation later takes each line
 * only at the price and name copied here.
 */
async function priceLines(
  deps: SagaDeps<SagaClients>,
  ctx: CallContext,
  principal: Principal,
  ownerId: string,
  body: PlaceOrderBody,
): Promise<PricedLine[]> {
  if (!deps.activeUsers.isKnownActive(ownerId)) await checkActive(deps, ctx, principal, ownerId);

  const catalog = deps.catalog.lookup(body.items) ?? (await readCatalog(deps, ctx, body));
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const lines: (PricedLine & { stock: number })[] = [];
  const unavailable: { productId: string }[] = [];
  for (const item of body.items) {
    const product = byId.get(item.productId);
    if (product?.isActive)
      lines.push({
        ...item,
        productName: product.name,
        priceCents: product.priceCents,
        stock: product.stock,
      });
    else unavailable.push({ productId: item.productId });
  }
  if (unavailable.length > 0) {
    deps.metrics.orderRejected("product_unavailable");
    throw new ProductUnavailableError(unavailable);
  }
  // A cheap early answer from the catalog; the reservation is what actually decides.
  const short = lines
    .filter((l) => l.stock < l.quantity)
    .map((l) => ({ productId: l.productId, requested: l.quantity, available: l.stock }));
  if (short.length > 0) {
    deps.metrics.orderRejected("insufficient_stock");
    throw new InsufficientStockError(short);
  }
  return lines.map(({ stock: _, ...line }) => line);
}

async function readCatalog(deps: SagaDeps<SagaClients>, ctx: CallContext, body: PlaceOrderBody) {
  const catalog = await deps.clients.products
    .withRequestId(ctx.requestId)
    .getMany.query({ ids: body.items.map((i) => i.productId) });
  deps.catalog.remember(catalog);
  return catalog;
}

/** Asks the user service whether the owner may order, and remembers a yes for a few seconds. */
async function checkActive(
  deps: SagaDeps<SagaClients>,
  ctx: CallContext,
  principal: Principal,
  ownerId: string,
) {
  const owner = await deps.clients.users.withRequestId(ctx.requestId).getById.query({ id: ownerId });
  if (owner?.isActive) {
    deps.activeUsers.rememberActive(ownerId);
    return;
  }
  deps.metrics.orderRejected("user_inactive");
  if (ownerId === principal.userId) throw new ForbiddenError("Your account is not active");
  throw new ValidationFailedError("userId does not name an active user", [
    { path: "userId", message: "no active user with this id" },
  ]);
}

const CATALOG_CHANGED = Symbol("catalog changed");

/**
 * Takes the stock under the order's id at the lines' prices and names, then makes the order visible,
 * or marks the saga failed: with an error, or with CATALOG_CHANGED when some line's price or name is
 * no longer the catalog's (the caller prices again).
 */
async function reserve(
  deps: SagaDeps<SagaClients>,
  options: PlaceOrderOptions,
  orderId: string,
  lines: PricedLine[],
  ctx: CallContext,
): Promise<OrderRecord | typeof CATALOG_CHANGED> {
  // Priced lines are the reserve input's lines field for field (the catalog checks price and name).
  const result = await deps.clients.products
    .withRequestId(ctx.requestId)
    .reserve.mutate({ orderId, items: lines })
    .catch((error: unknown) => {
      // The reservation may or may not have happened; the saga stays "reserving" and recovery asks.
      ctx.log.warn("reserve did not answer; saga left for recovery", { "order.id": orderId });
      throw error;
    });
  options.afterReserve?.();

  if (result.ok) {
    const completed = await deps.orders.completeReserved(orderId);
    // Not completed here only when this request outlived the recovery grace period and recovery
    // settled the saga meanwhile: the order is then whatever recovery made of it.
    const order = completed ?? (await deps.orders.findById(orderId));
    if (order?.sagaState !== "reserved") throw new DependencyUnavailableError("product-service");
    if (completed) deps.metrics.orderPlaced();
    ctx.log.info("order placed", { "order.id": orderId });
    return order;
  }

  await deps.orders.markFailed(orderId);
  ctx.log.info("order refused by the catalog", { "order.id": orderId, reason: result.reason });
  // What the cache said about these products just proved wrong or stale: the next order reads them.
  deps.catalog.forget(lines.map((l) => l.productId));
  switch (result.reason) {
    case "CATALOG_CHANGED":
      return CATALOG_CHANGED;
    case "INSUFFICIENT_STOCK":
      deps.metrics.orderRejected("insufficient_stock");
      throw new InsufficientStockError(result.shortages);
    case "PRODUCT_UNAVAILABLE":
      deps.metrics.orderRejected("product_unavailable");
      throw new ProductUnavailableError(result.shortages.map((s) => ({ productId: s.productId })));
    default:
      // RELEASED: recovery gave up on this saga while the request was still waiting for the answer.
      throw new DependencyUnavailableError("product-service");
  }
}
