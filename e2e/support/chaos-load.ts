import type { PhaseTally, Seen } from "./chaos-tally.ts";
import { shippingAddress } from "./client.ts";

export type Shopper = { userId: string; token: string };
export type OrderBody = {
  items: { productId: string; quantity: number }[];
  shippingAddress: typeof shippingAddress;
  paymentMethod: string;
};
/** Everything a client learnt about one Idempotency-Key. */
export type KeyRecord = {
  key: string;
  shopper: Shopper;
  body: OrderBody;
  /** The order id of every 201 for this key, in arrival order. */
  ids: string[];
  /** The last answer: a status, or "connection" when none came. */
  last: number | "connection";
  /** Error codes of 4xx answers (e.g. INSUFFICIENT_STOCK). */
  codes: string[];
};

export type LoadOptions = {
  gatewayUrl: string;
  shoppers: Shopper[];
  /** Products to order from; a product listed twice is picked twice as often. */
  productIds: string[];
  tally: PhaseTally;
  /** No new order is started once this many order requests were sent. */
  maxRequests: number;
  /** Attempts per key before the client gives up (the key is kept for a later replay). */
  attempts: number;
};

type Answer = { seen: Seen; status: number | "connection"; body: unknown };

/** One request over nginx's self-signed TLS; a hang counts as a connection error after `timeoutMs`. */
export async function send(
  gatewayUrl: string,
  method: string,
  path: string,
  options: { token: string; body?: unknown; key?: string; timeoutMs?: number },
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}` };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.key) headers["idempotency-key"] = options.key;
  try {
    const res = await fetch(gatewayUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      tls: { rejectUnauthorized: false },
    } as RequestInit);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // an empty or non-JSON body: keep the text
    }
    // An order request succeeds only with 201; the tally reads it that way.
    const seen: Seen = res.status >= 500 ? "5xx" : res.status >= 400 ? "4xx" : "201";
    return { seen, status: res.status, body };
  } catch {
    return { seen: "connection", status: "connection", body: undefined };
  }
}

const retryable = (a: Answer) => a.status === "connection" || a.status === 429 || (a.status as number) >= 500;
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

/** Sends one order request for `record`, counts it, and notes what it learnt. */
export async function placeOnce(options: LoadOptions, record: KeyRecord): Promise<Answer> {
  const phase = options.tally.sending();
  const answer = await send(options.gatewayUrl, "POST", "/api/orders", {
    token: record.shopper.token,
    body: record.body,
    key: record.key,
  });
  options.tally.record(phase, answer.seen);
  record.last = answer.status;
  const body = answer.body as { id?: string; error?: { code?: string } } | undefined;
  if (answer.status === 201 && body?.id) record.ids.push(body.id);
  if (answer.seen === "4xx" && body?.error?.code) record.codes.push(body.error.code);
  return answer;
}

/**
 * Steady order load from every shopper at once, until `stop()`: each order has its own
 * Idempotency-Key and is retried with the same key and body on 5xx, 429 or a broken connection
 * (backing off a little more each time), as a careful client would. Some created orders are sent
 * once more (a replay must return the same id) and some are cancelled. Bounded by `maxRequests`.
 */
export function startOrderLoad(options: LoadOptions) {
  const keys: KeyRecord[] = [];
  let stopping = false;

  const worker = async (shopper: Shopper) => {
    while (!stopping && options.tally.total() < options.maxRequests) {
      const lines = Math.random() < 0.3 ? 2 : 1;
      const productIds = new Set<string>();
      while (productIds.size < lines) productIds.add(pick(options.productIds));
      const record: KeyRecord = {
        key: `chaos-${crypto.randomUUID()}`,
        shopper,
        body: {
          items: [...productIds].map((productId) => ({
            productId,
            quantity: 1 + Math.floor(Math.random() * 3),
          })),
          shippingAddress,
          paymentMethod: "card",
        },
        ids: [],
        last: "connection",
        codes: [],
      };
      keys.push(record);
      let answer = await placeOnce(options, record);
      for (let attempt = 1; attempt < options.attempts && retryable(answer); attempt++) {
        await Bun.sleep(Math.min(2_000, 150 * 2 ** attempt));
        answer = await placeOnce(options, record);
      }
      const id = record.ids[0];
      if (!id) continue;
      if (Math.random() < 0.1) await placeOnce(options, record);
      if (Math.random() < 0.1) {
        for (let attempt = 0; attempt < options.attempts; attempt++) {
          const cancel = await send(options.gatewayUrl, "POST", `/api/orders/${id}/cancel`, {
            token: shopper.token,
          });
          if (!retryable(cancel)) break;
          await Bun.sleep(Math.min(2_000, 150 * 2 ** attempt));
        }
      }
    }
  };

  const running = Promise.all(options.shoppers.map(worker));
  return {
    keys,
    /** No new order starts; orders in their retries finish them. */
    async stop() {
      stopping = true;
      await running;
    },
  };
}
