import { readFileSync } from "node:fs";
import { median } from "../stats/percentiles.ts";
import { fixed, formatTable, mb } from "./format-table.ts";

type RunFile = {
  startedAt: string;
  startup: Record<string, { readyMs: number; idleRssBytes: number }>;
  ceilings: { name: string; operationsPerSecond: number; latencyMs: { p99: number } }[];
  scenarios: {
    name: string;
    requestsPerSecond: number;
    latencyMs: { p50: number; p95: number; p99: number };
    errors: number;
    cpuPer1k: { services: number };
    vsCeiling?: { ceiling: string; ratio: number };
  }[];
};

/** Median of each figure over several result files of `bun run bench`, the numbers to quote from a noisy machine. */
export function medianReport(runs: RunFile[]): string {
  const med = (values: (number | undefined)[]) =>
    median(values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  const names = [...new Set(runs.flatMap((r) => r.scenarios.map((s) => s.name)))];
  const scenario = (name: string) => runs.flatMap((r) => r.scenarios.filter((s) => s.name === name));
  const ceilings = [...new Set(runs.flatMap((r) => r.ceilings.map((c) => c.name)))];
  const services = [...new Set(runs.flatMap((r) => Object.keys(r.startup)))];
  return [
    `Medians of ${runs.length} runs: ${runs.map((r) => r.startedAt).join(", ")}`,
    "",
    formatTable(
      ["service", "ready (restart)", "idle RSS"],
      services.map((s) => [
        s,
        `${fixed(med(runs.map((r) => r.startup[s]?.readyMs)), 0)} ms`,
        `${mb(med(runs.map((r) => r.startup[s]?.idleRssBytes)))} MB`,
      ]),
    ),
    "",
    formatTable(
      ["ceiling", "ops/s", "p99"],
      ceilings.map((c) => {
        const all = runs.flatMap((r) => r.ceilings.filter((x) => x.name === c));
        return [
          c,
          fixed(med(all.map((x) => x.operationsPerSecond)), 0),
          `${fixed(med(all.map((x) => x.latencyMs.p99)), 1)} ms`,
        ];
      }),
    ),
    "",
    formatTable(
      ["scenario", "req/s", "p50", "p95", "p99", "errors (max)", "svc CPU s/1k", "vs ceiling"],
      names.map((n) => {
        const all = scenario(n);
        const ratio = med(all.map((s) => s.vsCeiling?.ratio));
        return [
          n,
          fixed(med(all.map((s) => s.requestsPerSecond)), 0),
          `${fixed(med(all.map((s) => s.latencyMs.p50)), 1)} ms`,
          `${fixed(med(all.map((s) => s.latencyMs.p95)), 1)} ms`,
          `${fixed(med(all.map((s) => s.latencyMs.p99)), 1)} ms`,
          Math.max(...all.map((s) => s.errors)),
          fixed(med(all.map((s) => s.cpuPer1k.services)), 3),
          Number.isFinite(ratio) ? `${fixed(ratio * 100, 0)}% ${all[0]?.vsCeiling?.ceiling}` : "-",
        ];
      }),
    ),
  ].join("\n");
}

if (import.meta.main) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write(
      "usage: bun bench/src/report/median-of-runs.ts bench/results/<a>.json <b>.json ...\n",
    );
    process.exit(2);
  }
  process.stdout.write(`${medianReport(files.map((f) => JSON.parse(readFileSync(f, "utf8")) as RunFile))}\n`);
}
