import { DependencyUnavailableError } from "@ecom/errors";
import type { Clock } from "@ecom/service-kit";
import type { CatalogProduct } from "../../src/clients/catalog-cache.ts";
import type {
  IdempotencyRecord,
  IdempotencyRepository,
} from "../../src/repository/idempotency-repository.ts";
import type { OrderRecord, OrdersRepository, RecoveryKind } from "../../src/repository/orders-repository.ts";
import type { OrderStatus } from "../../src/repository/tables.ts";
import type { SagaClients } from "../../src/saga/saga-deps.ts";

/*
 * In-memory stand-ins for what the saga talks to: the orders database (the two repositories) and the
 * product and user services behind their clients. Each models the documented semantics of the real
 * one, not just the happy path: a key claim writes nothing when the key is taken, a reserve is all or
 * nothing and answers a retry with its first outcome, a call the network loses ends at the client's
 * deadline as DependencyUnavailableError. Everything is decided synchronously inside one call, so
 * each step is atomic, as a single statement or conditional update is in the real stores.
 */

/** The orders and idempotency repositories over one in-memory "database", plus a way to look inside. */
export function createFakeOrdersDb(clock: Clock) {
  const orders = new Map<string, OrderRecord>();
  const keys = new Map<string, IdempotencyRecord>();
  const keyOf = (userId: string, key: string) => `${userId}\n${key}`;
  // Copies in and out, so no caller holds a reference into the stored rows, as with a real database.
  const record = (row: OrderRecord): OrderRecord => structuredClone(row);
  const update = (id: string, where: (row: OrderRecord) => boolean, set: Partial<OrderRecord>) => {
    const row = orders.get(id);
    if (!row || !where(row)) return undefined;
    Object.assign(row, set);
    return row;
  };
  const reserving = (row: OrderRecord) => row.sagaState === "reserving";

  const repository: OrdersRepository = {
    async findById(id) {
      const row = orders.get(id);
      return row ? record(row) : undefined;
    },

    async findVisible(id) {
      const row = orders.get(id);
      return row?.sagaState === "reserved" ? record(row) : undefined;
    },

    async insertReserving(order) {
      const keyed = order.idempotency;
      if (keyed && keys.has(keyOf(keyed.userId, keyed.key))) return false;
      const now = clock.now();
      if (keyed)
        keys.set(keyOf(keyed.userId, keyed.key), {
          userId: keyed.userId,
          key: keyed.key,
          requestHash: keyed.requestHash,
          orderId: order.id,
          createdAt: now,
        });
      orders.set(order.id, {
        id: order.id,
        userId: order.userId,
        status: "pending",
        sagaState: "reserving",
        totalCents: order.totalCents,
        shippingAddress: structuredClone(order.shippingAddress),
        paymentMethod: order.paymentMethod,
        idempotencyKey: keyed?.key ?? null,
        releasePending: false,
        stockReleasedAt: null,
        settlePending: false,
        stockSettledAt: null,
        recoveryLeaseUntil: null,
        createdAt: now,
        updatedAt: now,
        items: order.items.map((item) => ({
          productId: item.productId,
          productName: item.productName,
          quantity: item.quantity,
          priceCents: BigInt(item.priceCents),
        })),
      });
      return true;
    },

    async completeReserved(id) {
      const row = update(id, reserving, {
        sagaState: "reserved",
        recoveryLeaseUntil: null,
        updatedAt: clock.now(),
      });
      return row ? record(row) : undefined;
    },

    async markReserved(id) {
      return !!update(id, reserving, {
        sagaState: "reserved",
        recoveryLeaseUntil: null,
        updatedAt: clock.now(),
      });
    },

    async markFailed(id) {
      const failed = update(id, reserving, {
        sagaState: "failed",
        recoveryLeaseUntil: null,
        updatedAt: clock.now(),
      });
      // The key goes with the saga only when this call failed it, as in the repository's one statement.
      if (failed) for (const [k, row] of keys) if (row.orderId === id) keys.delete(k);
      return !!failed;
    },

    async list(filter) {
      const matching = [...orders.values()]
        .filter((r) => r.sagaState === "reserved")
        .filter((r) => !filter.userId || r.userId === filter.userId)
        .filter((r) => !filter.status || r.status === filter.status)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
      const start = (filter.page - 1) * filter.limit;
      return { items: matching.slice(start, start + filter.limit).map(record), total: matching.length };
    },

    async transition(id, from, to) {
      const row = update(id, (r) => r.sagaState === "reserved" && r.status === from, {
        status: to,
        updatedAt: clock.now(),
        ...pendingFlag(to),
      });
      return row ? record(row) : undefined;
    },

    async markStockReleased(id) {
      update(id, (r) => r.releasePending, {
        releasePending: false,
        stockReleasedAt: clock.now(),
        recoveryLeaseUntil: null,
      });
    },

    async markStockSettled(id) {
      update(id, (r) => r.settlePending, {
        settlePending: false,
        stockSettledAt: clock.now(),
        recoveryLeaseUntil: null,
      });
    },

    async claimNext(kind, olderThan, leaseMs) {
      const now = clock.now();
      const candidate = [...orders.values()]
        .filter((r) => !r.recoveryLeaseUntil || r.recoveryLeaseUntil < now)
        .filter((r) => owesWork(r, kind) && sinceOf(r, kind) < olderThan)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
      if (!candidate) return undefined;
      const leaseUntil = new Date(now.getTime() + leaseMs);
      candidate.recoveryLeaseUntil = leaseUntil;
      return { id: candidate.id, leaseUntil };
    },

    async dropLease(claim) {
      update(claim.id, (r) => r.recoveryLeaseUntil?.getTime() === claim.leaseUntil.getTime(), {
        recoveryLeaseUntil: null,
      });
    },

    async nextClaimableAt(graceMs) {
      const now = clock.now().getTime();
      const due = [...orders.values()].flatMap((r) =>
        (["saga", "release", "settle"] as const)
          .filter((kind) => owesWork(r, kind))
          .map((kind) =>
            Math.max(sinceOf(r, kind).getTime() + graceMs, r.recoveryLeaseUntil?.getTime() ?? 0),
          ),
      );
      const next = Math.min(...due.filter((at) => at > now));
      return Number.isFinite(next) ? new Date(next) : undefined;
    },
  };

  const idempotency: IdempotencyRepository = {
    async find(userId, key) {
      const row = keys.get(keyOf(userId, key));
      return row ? structuredClone(row) : undefined;
    },

    async deleteOlderThan(cutoff) {
      let deleted = 0;
      for (const [k, row] of keys)
        if (row.createdAt < cutoff) {
          keys.delete(k);
          deleted++;
        }
      return deleted;
    },
  };

  return {
    orders: repository,
    idempotency,
    /** Every stored order, whatever its saga state, as a test inspecting the table would see them. */
    rows: () => [...orders.values()].map(record),
  };
}

function pendingFlag(to: OrderStatus): Partial<OrderRecord> {
  if (to === "cancelled") return { releasePending: true };
  if (to === "shipped") return { settlePending: true };
  return {};
}

function owesWork(row: OrderRecord, kind: RecoveryKind): boolean {
  if (kind === "saga") return row.sagaState === "reserving";
  return kind === "release" ? row.releasePending : row.settlePending;
}

/** A saga is due after its creation, a release or settle after the status change that raised it. */
const sinceOf = (row: OrderRecord, kind: RecoveryKind) => (kind === "saga" ? row.createdAt : row.updatedAt);

type ProductCalls = ReturnType<SagaClients["products"]["withRequestId"]>;
type Procedure = keyof ProductCalls;
type ReserveInput = Parameters<ProductCalls["reserve"]["mutate"]>[0];
type ReserveResult = Awaited<ReturnType<ProductCalls["reserve"]["mutate"]>>;
type Refusal = Extract<ReserveResult, { ok: false }>;
type Reservation = {
  status: "reserved" | "settled" | "released";
  items: ReserveInput["items"];
  refusal?: Refusal;
};

/**
 * How the network loses one call: before it reaches the catalog, or after the catalog acted on it.
 * Either way the caller hears nothing until its deadline.
 */
export type Fault = "lose-request" | "lose-answer";

/**
 * The product service's catalog and reservations, behind a client with the real one's contract: a
 * deadline of `timeoutMs` per call, after which the call fails with DependencyUnavailableError.
 */
export function createFakeCatalog(options: { timeoutMs: number }) {
  const products = new Map<string, CatalogProduct>();
  const reservations = new Map<string, Reservation>();
  const faults = new Map<Procedure, Fault[]>();
  const calls = new Map<Procedure, number>();
  let onReserve: (nth: number) => void = () => {};

  const giveBack = (lines: ReserveInput["items"]) => {
    for (const line of lines) {
      const product = products.get(line.productId);
      if (product) product.stock += line.quantity;
    }
  };
  // A refusal is stored, so a retry under the same order id gets the same answer.
  const refuse = (orderId: string, refusal: Refusal): Refusal => {
    reservations.set(orderId, { status: "released", items: [], refusal });
    return refusal;
  };
  const shortage = (line: ReserveInput["items"][number], available: number) => ({
    productId: line.productId,
    requested: line.quantity,
    available,
  });

  /** All or nothing, answering in the repository's order: unavailable, then changed, then short. */
  function reserve({ orderId, items }: ReserveInput): ReserveResult {
    onReserve(calls.get("reserve") ?? 0);
    const earlier = reservations.get(orderId);
    if (earlier)
      return earlier.status === "released"
        ? (earlier.refusal ?? { ok: false, reason: "RELEASED", shortages: [] })
        : { ok: true, status: "reserved" };
    const lines = items.map((line) => ({ line, product: products.get(line.productId) }));
    const unavailable = lines.filter(({ product }) => !product?.isActive);
    if (unavailable.length > 0)
      return refuse(orderId, {
        ok: false,
        reason: "PRODUCT_UNAVAILABLE",
        shortages: unavailable.map(({ line }) => shortage(line, 0)),
      });
    const changed = lines.filter(
      ({ line, product }) =>
        (line.priceCents !== undefined && line.priceCents !== product?.priceCents) ||
        (line.productName !== undefined && line.productName !== product?.name),
    );
    if (changed.length > 0)
      return refuse(orderId, {
        ok: false,
        reason: "CATALOG_CHANGED",
        shortages: changed.map(({ line, product }) => shortage(line, product?.stock ?? 0)),
      });
    const short = lines.filter(({ line, product }) => (product?.stock ?? 0) < line.quantity);
    if (short.length > 0)
      return refuse(orderId, {
        ok: false,
        reason: "INSUFFICIENT_STOCK",
        shortages: short.map(({ line, product }) => shortage(line, product?.stock ?? 0)),
      });
    for (const { line, product } of lines) if (product) product.stock -= line.quantity;
    reservations.set(orderId, { status: "reserved", items });
    return { ok: true, status: "reserved" };
  }

  /** Runs `handle` as the product service would receive it, through the network's faults and the deadline. */
  function call<I, O>(procedure: Procedure, handle: (input: I) => O): (input: I) => Promise<O> {
    return (input) =>
      new Promise<O>((resolve, reject) => {
        const fault = faults.get(procedure)?.shift();
        const deadline = setTimeout(
          () => reject(new DependencyUnavailableError("product-service")),
          options.timeoutMs,
        );
        if (fault === "lose-request") return;
        // Decided after the caller's turn, on copies, as a request over the wire would be.
        Promise.resolve(input)
          .then((sent) => {
            calls.set(procedure, (calls.get(procedure) ?? 0) + 1);
            return structuredClone(handle(structuredClone(sent)));
          })
          .then(
            (output) => {
              if (fault === "lose-answer") return;
              clearTimeout(deadline);
              resolve(output);
            },
            (error: unknown) => {
              clearTimeout(deadline);
              reject(error);
            },
          );
      });
  }

  const procedures: ProductCalls = {
    getMany: {
      query: call("getMany", ({ ids }) =>
        ids.flatMap((id) => {
          const product = products.get(id);
          return product ? [product] : [];
        }),
      ),
    },
    reserve: { mutate: call("reserve", reserve) },
    release: {
      mutate: call("release", ({ orderId }) => {
        const reservation = reservations.get(orderId);
        if (!reservation) {
          // A tombstone: a reserve arriving after this release is refused.
          reservations.set(orderId, { status: "released", items: [] });
          return { status: "none_held" };
        }
        if (reservation.status === "released") return { status: "already_released" };
        if (reservation.status === "settled") return { status: "already_settled" };
        reservation.status = "released";
        giveBack(reservation.items);
        return { status: "released" };
      }),
    },
    settle: {
      mutate: call("settle", ({ orderId }) => {
        const reservation = reservations.get(orderId);
        if (!reservation) return { status: "none_held" };
        if (reservation.status !== "reserved")
          return { status: reservation.status === "settled" ? "already_settled" : "released" };
        reservation.status = "settled";
        return { status: "settled" };
      }),
    },
    // Never `in_progress`: a reserve here is decided the moment it arrives, so none is ever running.
    cancel: {
      mutate: call("cancel", ({ orderId }) => {
        const reservation = reservations.get(orderId);
        if (!reservation) {
          reservations.set(orderId, { status: "released", items: [] });
          return { status: "cancelled" };
        }
        return { status: reservation.status === "released" ? "already_released" : reservation.status };
      }),
    },
  };

  return {
    client: { withRequestId: () => procedures } satisfies SagaClients["products"],
    /** Adds or replaces a product, as an admin would. */
    put(product: CatalogProduct) {
      products.set(product.id, { ...product });
    },
    /** An admin edit (price, name, stock, active) made while orders are in flight. */
    update(productId: string, change: Partial<Omit<CatalogProduct, "id">>) {
      const product = products.get(productId);
      if (!product) throw new Error(`no product ${productId}`);
      Object.assign(product, change);
    },
    stock: (productId: string) => products.get(productId)?.stock,
    reservation: (orderId: string) => reservations.get(orderId)?.status,
    /** How many calls of `procedure` reached the catalog. */
    calls: (procedure: Procedure) => calls.get(procedure) ?? 0,
    /** The next call of `procedure` meets `fault`. */
    failNext(procedure: Procedure, fault: Fault) {
      faults.set(procedure, [...(faults.get(procedure) ?? []), fault]);
    },
    /** Runs when each reserve reaches the catalog, before it is decided: what changed "meanwhile". */
    onReserve(hook: (nth: number) => void) {
      onReserve = hook;
    },
  };
}

/** The user service: every id in `active` is an active customer, any other id is unknown. */
export function createFakeUsers(active: string[]): SagaClients["users"] {
  return {
    withRequestId: () => ({
      getById: {
        async query({ id }) {
          if (!active.includes(id)) return null;
          return {
            id,
            email: `${id}@example.com`,
            firstName: "Test",
            lastName: "User",
            role: "customer",
            isActive: true,
          };
        },
      },
    }),
  };
}
