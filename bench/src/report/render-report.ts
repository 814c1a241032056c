import type { InvariantReport } from "../invariant.ts";
import type { CeilingResult } from "../run-ceilings.ts";
import type { ScenarioResult } from "../run-scenario.ts";
import type { CeilingName, Scenario } from "../scenarios.ts";
import type { ServiceName, StartupFigure } from "../system/start-system.ts";
import { fixed, formatTable, mb } from "./format-table.ts";

export type TargetCheck = { target: string; measured: string; met: boolean };

/** The smallest of the named ceilings measured in this run. */
function lowestCeiling(names: readonly CeilingName[], ceilings: CeilingResult[]) {
  const bounds = ceilings.filter((c) => names.includes(c.name));
  if (bounds.length === 0) return undefined;
  return bounds.reduce((a, b) => (a.operationsPerSecond <= b.operationsPerSecond ? a : b));
}

/** Throughput over the smallest ceiling the scenario is bounded by. */
export function ceilingRatio(result: ScenarioResult, scenario: Scenario, ceilings: CeilingResult[]) {
  const lowest = lowestCeiling(scenario.ceilings, ceilings);
  if (!lowest) return undefined;
  return { ceiling: lowest.name, ratio: result.requestsPerSecond / lowest.operationsPerSecond };
}

const percent = (ratio: number) => `${fixed(ratio * 100, 0)} %`;

/**
 * The targets, each checked against this run's figures. Speed targets are ratios to ceilings
 * measured in the same run, because absolute rates do not survive a change of machine. A target whose
 * scenario did not run (`--only`) is left out.
 */
export function checkTargets(input: {
  startup: Record<ServiceName, StartupFigure>;
  results: ScenarioResult[];
  ceilings: CeilingResult[];
  invariants: InvariantReport[];
}): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const result = (name: string) => input.results.find((r) => r.name === name);
  const share = (scenario: string, bounds: readonly CeilingName[], atLeast: number) => {
    const r = result(scenario);
    const lowest = lowestCeiling(bounds, input.ceilings);
    if (!r || !lowest) return;
    const ratio = r.requestsPerSecond / lowest.operationsPerSecond;
    const of = bounds.length > 1 ? `min(${bounds.join(", ")})` : bounds[0];
    checks.push({
      target: `${scenario} >= ${percent(atLeast)} of ${of}`,
      measured:
        `${percent(ratio)} of ${lowest.name} ` +
        `(${fixed(r.requestsPerSecond, 0)} of ${fixed(lowest.operationsPerSecond, 0)}/s)`,
      met: ratio >= atLeast,
    });
  };

  share("catalog.list.gateway", ["http"], 0.25);
  share("catalog.get-by-id.gateway", ["http", "mongo.findById"], 0.7);
  share("orders.place", ["pg.orderInsert"], 0.15);
  const orders = result("orders.place");
  if (orders)
    checks.push({
      target: "orders.place p99 <= 150 ms",
      measured: `${fixed(orders.latencyMs.p99)} ms`,
      met: orders.latencyMs.p99 <= 150,
    });
  if (input.invariants.length > 0)
    checks.push({
      target: "zero stock invariant violations",
      measured: input.invariants.every((i) => i.ok) ? "none" : "VIOLATED",
      met: input.invariants.every((i) => i.ok),
    });
  const meAlone = result("auth.me");
  const meBeside = result("auth.login")?.companion;
  if (meAlone && meBeside) {
    const factor = meBeside.latencyMs.p99 / meAlone.latencyMs.p99;
    checks.push({
      target: "/me p99 beside logins <= 2x its p99 alone",
      measured: `${fixed(meBeside.latencyMs.p99)} ms vs ${fixed(meAlone.latencyMs.p99)} ms (${fixed(factor, 2)}x)`,
      met: factor <= 2,
    });
  }
  for (const r of input.results)
    if (r.errors > 0)
      checks.push({ target: `${r.name}: zero errors`, measured: `${r.errors} errors`, met: false });
  for (const [name, s] of Object.entries(input.startup)) {
    checks.push({
      target: `${name} ready < 1 s`,
      measured: `${fixed(s.readyMs, 0)} ms`,
      met: s.readyMs < 1000,
    });
    checks.push({
      target: `${name} idle RSS < 120 MB`,
      measured: `${mb(s.idleRssBytes)} MB`,
      met: s.idleRssBytes < 120 * 1024 * 1024,
    });
  }
  return checks;
}

const statuses = (codes: Record<string, number>) =>
  Object.entries(codes)
    .map(([s, n]) => `${s}:${n}`)
    .join(" ");

export function renderReport(input: {
  startup: Record<ServiceName, StartupFigure>;
  ceilings: CeilingResult[];
  results: ScenarioResult[];
  ratios: Map<string, { ceiling: string; ratio: number }>;
  invariants: { after: string; report: InvariantReport }[];
  targets: TargetCheck[];
}): string {
  const out: string[] = [];
  out.push(
    "Start-up (to /health/ready 200; gateway: /health/live) and idle footprint",
    formatTable(
      ["service", "first start", "restart", "idle RSS"],
      Object.entries(input.startup).map(([name, s]) => [
        name,
        `${fixed(s.firstStartReadyMs, 0)} ms`,
        `${fixed(s.readyMs, 0)} ms`,
        `${mb(s.idleRssBytes)} MB`,
      ]),
    ),
    "",
    "Ceilings (same run, same servers)",
    formatTable(
      ["ceiling", "ops/s", "p50", "p95", "p99", "errors", "CPU s per 1k ops"],
      input.ceilings.map((c) => [
        c.name,
        fixed(c.operationsPerSecond, 0),
        `${fixed(c.latencyMs.p50, 2)} ms`,
        `${fixed(c.latencyMs.p95, 2)} ms`,
        `${fixed(c.latencyMs.p99, 2)} ms`,
        c.errors,
        Object.entries(c.cpuPer1k)
          .map(([k, v]) => `${k} ${fixed(v, 3)}`)
          .join(", "),
      ]),
    ),
    "",
    "Scenarios (CPU = seconds per 1,000 requests; RSS = peak during the run, user/product/order/gateway)",
  );
  const rows: (string | number)[][] = [];
  for (const r of input.results) {
    const ratio = input.ratios.get(r.name);
    rows.push([
      r.name,
      r.connections,
      fixed(r.requestsPerSecond, 0),
      `${fixed(r.latencyMs.p50, 1)} ms`,
      `${fixed(r.latencyMs.p95, 1)} ms`,
      `${fixed(r.latencyMs.p99, 1)} ms`,
      r.errors,
      fixed(r.cpuPer1k.services, 3),
      fixed(r.cpuPer1k.byGroup.postgres ?? Number.NaN, 3),
      fixed(r.cpuPer1k.byGroup.mongo ?? Number.NaN, 3),
      fixed(r.generatorCpuSeconds / r.durationSec, 2),
      ["user-service", "product-service", "order-service", "gateway"]
        .map((n) => mb(r.peakRssBytes[n] ?? 0))
        .join("/"),
      ratio ? `${fixed(ratio.ratio * 100, 0)}% ${ratio.ceiling}` : "-",
      r.conditional === undefined
        ? statuses(r.statusCodes)
        : `${statuses(r.statusCodes)} (${r.conditional} sent If-None-Match)`,
    ]);
    if (r.companion)
      rows.push([
        `  + ${r.companion.name}`,
        "",
        fixed(r.companion.requestsPerSecond, 0),
        `${fixed(r.companion.latencyMs.p50, 1)} ms`,
        `${fixed(r.companion.latencyMs.p95, 1)} ms`,
        `${fixed(r.companion.latencyMs.p99, 1)} ms`,
        r.companion.errors,
        "",
        "",
        "",
        fixed(r.companion.generatorCpuSeconds / r.durationSec, 2),
        "",
        "",
        statuses(r.companion.statusCodes),
      ]);
  }
  out.push(
    formatTable(
      [
        "scenario",
        "conn",
        "req/s",
        "p50",
        "p95",
        "p99",
        "errors",
        "svc CPU",
        "pg CPU",
        "mongo CPU",
        "loadgen cores",
        "RSS MB",
        "vs ceiling",
        "statuses",
      ],
      rows,
    ),
  );
  for (const { after, report } of input.invariants) {
    out.push(
      "",
      `Stock invariant after ${after}: ${report.ok ? "HOLDS" : "VIOLATED"} ` +
        `(orders listed ${report.ordersListed}, 201s received ${report.ordersCreated}, ` +
        `finished after the client left ${report.finishedAfterClientLeft}, settled ${report.settledAfterMs} ms after the load)`,
      `  ${report.products.filter((p) => p.ok).length} of ${report.products.length} products balance ` +
        "(initial + admin deltas = current + held by non-cancelled orders)",
      ...report.products
        .filter((p) => !p.ok)
        .map(
          (p) =>
            `  UNBALANCED ${p.productId}: initial ${p.initial} + admin ${p.adminDeltas} != ` +
            `current ${p.current} + held ${p.heldByOrders}`,
        ),
    );
  }
  out.push(
    "",
    "Targets",
    formatTable(
      ["", "target", "measured"],
      input.targets.map((t) => [t.met ? "met" : "MISSED", t.target, t.measured]),
    ),
  );
  return out.join("\n");
}
