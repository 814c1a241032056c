import { type LoadResult, runLoad } from "./load/run-load.ts";
import type { Scenario } from "./scenarios.ts";
import { type ProcessGroups, type ResourceUsage, startWindow } from "./stats/resource-sampler.ts";

export type LoadFigures = {
  requestsPerSecond: number;
  latencyMs: LoadResult["latencyMs"];
  statusCodes: Record<string, number>;
  /** Responses with an unexpected status, plus requests that got no response. */
  errors: number;
  generatorCpuSeconds: number;
};

export type ScenarioResult = LoadFigures & {
  name: string;
  description: string;
  connections: number;
  durationSec: number;
  /** CPU seconds per 1,000 responses: all service processes together, then per process group. */
  cpuPer1k: { services: number; byGroup: Record<string, number> };
  peakRssBytes: Record<string, number>;
  companion?: LoadFigures & { name: string };
  /** Revalidating runs only: measured responses to requests that carried `If-None-Match`. */
  conditional?: number;
  /** 201s received, warm-up included (every one must be an order that exists). */
  created: number;
  /** Load runs this scenario made (warm-up and measured): each may leave requests in flight when it stops. */
  runs: number;
};

function figures(result: LoadResult, expected: number[]): LoadFigures {
  const unexpected = Object.entries(result.statusCodes)
    .filter(([status]) => !expected.includes(Number(status)))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requestsPerSecond: result.requestsPerSecond,
    latencyMs: result.latencyMs,
    statusCodes: result.statusCodes,
    errors: unexpected + result.errors + result.timeouts,
    generatorCpuSeconds: result.generatorCpuSeconds,
  };
}

/** An unmeasured warm-up, then the measured run with CPU and memory of every group sampled. */
export async function runScenario(
  scenario: Scenario,
  groups: ProcessGroups,
  serviceNames: readonly string[],
  warmupSec: number,
): Promise<ScenarioResult> {
  let created = 0;
  const count201 = (r: LoadResult | undefined) => {
    created += scenario.placesOrders ? (r?.statusCodes["201"] ?? 0) : 0;
  };
  const both = (durationSec?: number) =>
    Promise.all([
      runLoad(durationSec ? { ...scenario.load, durationSec } : scenario.load),
      scenario.companion
        ? runLoad(durationSec ? { ...scenario.companion.load, durationSec } : scenario.companion.load)
        : undefined,
    ]);

  const warm = scenario.warmup !== false && warmupSec > 0;
  if (warm) count201((await both(warmupSec))[0]);
  const window = startWindow(groups);
  const [main, companion] = await both();
  const usage: ResourceUsage = window.stop();
  count201(main);

  const per1k = (seconds: number) => (main.responses ? (seconds / main.responses) * 1000 : Number.NaN);
  const servicesCpu = serviceNames.reduce((sum, n) => sum + (usage.cpuSeconds[n] ?? 0), 0);
  return {
    name: scenario.name,
    description: scenario.description,
    connections: scenario.load.connections,
    durationSec: main.durationSec,
    ...figures(main, scenario.expectedStatuses),
    cpuPer1k: {
      services: per1k(servicesCpu),
      byGroup: Object.fromEntries(Object.entries(usage.cpuSeconds).map(([n, s]) => [n, per1k(s)])),
    },
    peakRssBytes: usage.peakRssBytes,
    ...(companion && scenario.companion
      ? { companion: { name: scenario.companion.name, ...figures(companion, [200]) } }
      : {}),
    ...(scenario.load.revalidate ? { conditional: main.conditional } : {}),
    created,
    runs: warm ? 2 : 1,
  };
}
