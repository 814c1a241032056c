import { afterAll, beforeAll, expect, test } from "bun:test";
import { orderMismatches, readState, stockMismatches } from "./support/chaos-invariants.ts";
import { type KeyRecord, placeOnce, type Shopper, send, startOrderLoad } from "./support/chaos-load.ts";
import { phaseTally } from "./support/chaos-tally.ts";
import { type Api, api, login, newCustomer, type Product } from "./support/client.ts";
import { type E2eSystem, type ServiceName, startSystem } from "./support/system.ts";
import { waitUntil } from "./support/wait-until.ts";

/** Load time over all phases; `bun run test:chaos` runs a longer, heavier variant. */
const durationMs = Number(process.env.CHAOS_DURATION_MS ?? 20_000);
const shopperCount = Number(process.env.CHAOS_SHOPPERS ?? 4);
const maxRequests = Number(process.env.CHAOS_MAX_REQUESTS ?? 20_000);
/** Recovery after the last crash may take a while (claims, leases); only a hang hits this. */
const recoveryBoundMs = Number(process.env.CHAOS_RECOVERY_BOUND_MS ?? 120_000);

const production = { NODE_ENV: "production" };
let system: E2eSystem;
let client: Api;

beforeAll(async () => {
  // One instance of each service, so a kill takes the whole service down, as production processes.
  system = await startSystem({
    instances: 1,
    env: { users: production, products: production, orders: production },
  });
  client = api(system.gatewayUrl);
}, 240_000);
afterAll(async () => {
  await system?.stop();
}, 60_000);

/** A pause in the fault schedule (how long a service stays down or up), not a wait for something. */
const hold = (ms: number) => Bun.sleep(Math.max(0, ms));

test(
  "orders under load while services are SIGKILLed and restarted: the invariants hold afterwards",
  async () => {
    const admin = (await login(client, system.admin.email, system.admin.password)).accessToken;
    // Plenty of stock for most orders, and one product that runs out, so refusals happen too.
    const initial = new Map<string, number>();
    const productIds: string[] = [];
    for (const [name, stock, weight] of [
      ["chaos plenty A", 1_000_000, 3],
      ["chaos plenty B", 1_000_000, 3],
      ["chaos plenty C", 1_000_000, 2],
      ["chaos scarce", 40, 2],
    ] as const) {
      const res = await client.request<Product>("POST", "/api/products", {
        token: admin,
        body: { name, description: "chaos test product", price: 12.5, category: "chaos", stock },
      });
      expect(res.status).toBe(201);
      initial.set(res.body.id, stock);
      for (let i = 0; i < weight; i++) productIds.push(res.body.id);
    }
    const expected = new Map(initial);
    const shoppers: Shopper[] = [];
    for (let i = 0; i < shopperCount; i++) {
      const session = await newCustomer(client);
      shoppers.push({ userId: session.user.id, token: session.accessToken });
    }

    const tally = phaseTally();
    const phaseMs = durationMs / 5;
    tally.enter("steady");
    const load = startOrderLoad({
      gatewayUrl: system.gatewayUrl,
      shoppers,
      productIds,
      tally,
      maxRequests,
      attempts: 6,
    });

    // The product that runs out, read all along: its stock must never be seen below zero.
    const scarce = productIds.at(-1)!;
    let lowestScarce = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const res = await client.request<Product>("GET", `/api/products/${scarce}`).catch(() => undefined);
        if (res?.status === 200) lowestScarce = Math.min(lowestScarce, res.body.stock);
        await hold(200);
      }
    })();

    // Admin deltas while orders run: concurrent updates must not be lost.
    const steadyEnd = Date.now() + phaseMs;
    while (Date.now() < steadyEnd) {
      for (const [id, delta] of [
        [productIds[0]!, 7],
        [scarce, 3],
      ] as const) {
        const res = await send(system.gatewayUrl, "PATCH", `/api/products/${id}/stock`, {
          token: admin,
          body: { quantity: delta },
        });
        expect(res.status).toBe(200);
        expected.set(id, expected.get(id)! + delta);
      }
      await hold(phaseMs / 8);
    }

    const current: Record<ServiceName, number> = { users: 0, products: 0, orders: 0 };
    const faults: { phase: string; kill: ServiceName[] }[] = [
      { phase: "orders killed", kill: ["orders"] },
      { phase: "products killed", kill: ["products"] },
      { phase: "users killed", kill: ["users"] },
      { phase: "orders+products killed", kill: ["orders", "products"] },
    ];
    for (const fault of faults) {
      const end = Date.now() + phaseMs;
      tally.enter(fault.phase);
      // Somewhere inside the phase, so the kill lands at a different point of an order each time.
      await hold(Math.random() * phaseMs * 0.2);
      await Promise.all(fault.kill.map((s) => system.stopInstance(s, current[s], "SIGKILL")));
      await hold(phaseMs * 0.3);
      await Promise.all(
        fault.kill.map(async (s) => {
          current[s] = await system.restartInstance(s, current[s]);
        }),
      );
      await hold(end - Date.now());
    }
    tally.enter("retries after load");
    await load.stop();
    sampling = false;
    await sampler;

    // Recovery: orders interrupted by a crash are finished or undone by the restarted services.
    // Settled means it adds up on two reads in a row: one read (stock, then orders) is not atomic
    // and can add up by chance while recovery is still moving stock.
    const recoveryStarted = Date.now();
    let last = "";
    let matchedInARow = 0;
    await waitUntil(
      "stock adds up after recovery, twice in a row",
      async () => {
        const mismatches = stockMismatches(await readState(client, admin, [...initial.keys()]), expected);
        last = JSON.stringify(mismatches);
        matchedInARow = mismatches.length === 0 ? matchedInARow + 1 : 0;
        return matchedInARow === 2;
      },
      { boundMs: recoveryBoundMs, everyMs: 500, describe: () => last },
    );
    const recoveredInMs = Date.now() - recoveryStarted;

    // Keys whose outcome the client never learnt, and a sample of answered ones, sent once more.
    tally.enter("replays after recovery");
    const unanswered = load.keys.filter((k) => k.ids.length === 0 && !k.codes.length);
    const answered = load.keys.filter((k) => k.ids.length > 0).slice(0, 100);
    const replay = async (record: KeyRecord) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const answer = await placeOnce(
          { gatewayUrl: system.gatewayUrl, shoppers, productIds, tally, maxRequests, attempts: 1 },
          record,
        );
        if (answer.status !== "connection" && answer.status < 500) return;
      }
    };
    for (const record of [...unanswered, ...answered]) await replay(record);

    const state = await readState(client, admin, [...initial.keys()]);
    const keys = load.keys;
    const refusals = new Map<string, number>();
    for (const code of keys.flatMap((k) => k.codes)) refusals.set(code, (refusals.get(code) ?? 0) + 1);
    console.log(
      [
        "",
        `chaos run: ${durationMs} ms of load, ${shoppers.length} shoppers, ${keys.length} keys, ` +
          `${state.orders.length} orders; stock added up ${recoveredInMs} ms after the load stopped`,
        tally.table(),
        `keys without an answer after the client's retries: ${unanswered.length}; ` +
          `4xx codes: ${[...refusals].map(([code, n]) => `${code} ${n}`).join(", ") || "none"}; ` +
          `lowest stock seen of the scarce product: ${lowestScarce}`,
        "",
      ].join("\n"),
    );

    expect(lowestScarce).toBeGreaterThanOrEqual(0);
    expect(stockMismatches(state, expected)).toEqual([]);
    expect(orderMismatches(state, keys)).toEqual([]);
    // Same key and body every time: a conflict would mean the service lost track of the first request.
    expect(keys.filter((k) => k.codes.includes("IDEMPOTENCY_CONFLICT")).map((k) => k.key)).toEqual([]);
    // Answered keys replayed after recovery still name their first order.
    expect(answered.filter((k) => new Set(k.ids).size !== 1 || k.last !== 201).map((k) => k.key)).toEqual([]);
    expect(keys.filter((k) => k.ids.length > 0).length).toBeGreaterThan(0);
  },
  300_000 + 3 * durationMs,
);
