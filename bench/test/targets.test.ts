import { describe, expect, test } from "bun:test";
import { checkTargets, type TargetCheck } from "../src/report/render-report.ts";
import type { CeilingResult } from "../src/run-ceilings.ts";
import type { ScenarioResult } from "../src/run-scenario.ts";
import type { CeilingName } from "../src/scenarios.ts";
import type { StartupFigure } from "../src/system/start-system.ts";

const latency = (p99: number) => ({ count: 1, mean: p99, p50: p99, p95: p99, p99, max: p99 });
const ceiling = (name: CeilingName, operationsPerSecond: number): CeilingResult => ({
  name,
  description: name,
  operationsPerSecond,
  latencyMs: latency(1),
  errors: 0,
  cpuPer1k: {},
});
const scenario = (name: string, requestsPerSecond: number, extra: Partial<ScenarioResult> = {}) =>
  ({
    name,
    description: name,
    connections: 16,
    durationSec: 8,
    requestsPerSecond,
    latencyMs: latency(10),
    statusCodes: { 200: 1 },
    errors: 0,
    generatorCpuSeconds: 0,
    cpuPer1k: { services: 0, byGroup: {} },
    peakRssBytes: {},
    created: 0,
    runs: 2,
    ...extra,
  }) satisfies ScenarioResult;
const healthy: StartupFigure = { firstStartReadyMs: 900, readyMs: 400, idleRssBytes: 80 * 1024 * 1024 };
const startup = {
  "user-service": healthy,
  "product-service": healthy,
  "order-service": healthy,
  gateway: healthy,
};
const ceilings = [
  ceiling("http", 40_000),
  ceiling("mongo.findById", 5_000),
  ceiling("mongo.list", 2_000),
  ceiling("pg.orderInsert", 3_000),
];
const find = (checks: TargetCheck[], start: string) => checks.find((c) => c.target.startsWith(start));

describe("checkTargets", () => {
  test("speed targets are ratios to this run's ceilings, met at the bound and missed below it", () => {
    const checks = checkTargets({
      startup,
      ceilings,
      invariants: [],
      results: [
        scenario("catalog.list.gateway", 9_999),
        scenario("catalog.get-by-id.gateway", 3_500),
        scenario("orders.place", 450, { latencyMs: latency(150) }),
      ],
    });
    expect(find(checks, "catalog.list.gateway")).toEqual({
      target: "catalog.list.gateway >= 25 % of http",
      measured: "25 % of http (9999 of 40000/s)",
      met: false,
    });
    // The smaller of the two ceilings is the bound.
    expect(find(checks, "catalog.get-by-id.gateway")).toMatchObject({
      target: "catalog.get-by-id.gateway >= 70 % of min(http, mongo.findById)",
      measured: "70 % of mongo.findById (3500 of 5000/s)",
      met: true,
    });
    expect(find(checks, "orders.place >=")).toMatchObject({
      measured: "15 % of pg.orderInsert (450 of 3000/s)",
      met: true,
    });
    expect(find(checks, "orders.place p99")?.met).toBe(true);
    expect(checks.some((c) => c.target.includes("orders/s"))).toBe(false);
  });

  test("/me beside logins is held to twice its p99 alone", () => {
    const run = (besideP99: number) =>
      find(
        checkTargets({
          startup,
          ceilings,
          invariants: [],
          results: [
            scenario("auth.me", 4_000, { latencyMs: latency(3) }),
            scenario("auth.login", 7, {
              companion: { ...scenario("auth.me.during-login", 3_000), latencyMs: latency(besideP99) },
            }),
          ],
        }),
        "/me p99",
      );
    expect(run(6)).toMatchObject({ measured: "6.0 ms vs 3.0 ms (2.00x)", met: true });
    expect(run(6.1)?.met).toBe(false);
  });

  test("start-up, memory, invariants and errors are checked; scenarios that did not run are left out", () => {
    const checks = checkTargets({
      startup: {
        ...startup,
        gateway: { firstStartReadyMs: 1, readyMs: 1000, idleRssBytes: 120 * 1024 * 1024 },
      },
      ceilings,
      invariants: [{ ok: false } as never],
      results: [scenario("catalog.list.revalidate", 100, { errors: 3 })],
    });
    expect(find(checks, "user-service ready")?.met).toBe(true);
    expect(find(checks, "gateway ready")?.met).toBe(false);
    expect(find(checks, "gateway idle RSS")?.met).toBe(false);
    expect(find(checks, "zero stock invariant")?.met).toBe(false);
    expect(find(checks, "catalog.list.revalidate: zero errors")).toMatchObject({
      measured: "3 errors",
      met: false,
    });
    expect(find(checks, "catalog.list.gateway")).toBeUndefined();
    expect(find(checks, "/me")).toBeUndefined();
  });
});
