import { type LatencySummary, summarize } from "../stats/percentiles.ts";

export type CeilingOutput = {
  operations: number;
  durationSec: number;
  operationsPerSecond: number;
  latencyMs: LatencySummary;
  errors: number;
  cpuSeconds: number;
};

/**
 * `concurrency` loops each running `op` back to back for `durationSec` (after an unmeasured warm-up):
 * the same closed-loop shape as the HTTP load, so the figures compare.
 */
export async function closedLoop(options: {
  concurrency: number;
  durationSec: number;
  warmupSec: number;
  op: (i: number) => Promise<unknown>;
}): Promise<CeilingOutput> {
  let counter = 0;
  const runFor = async (seconds: number, record: boolean) => {
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + seconds * 1000;
    const loop = async () => {
      while (performance.now() < end) {
        const started = performance.now();
        try {
          await options.op(counter++);
          if (record) latencies.push(performance.now() - started);
        } catch {
          errors++;
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: options.concurrency }, loop));
    return { latencies, errors, seconds: (performance.now() - started) / 1000 };
  };
  await runFor(options.warmupSec, false);
  const cpuAtStart = process.cpuUsage();
  const run = await runFor(options.durationSec, true);
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    operations: run.latencies.length,
    durationSec: run.seconds,
    operationsPerSecond: run.latencies.length / run.seconds,
    latencyMs: summarize(run.latencies),
    errors: run.errors,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** Ceiling processes get their settings as one JSON argument and answer with one JSON line. */
export function ceilingArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? "{}") as T;
}

export function printOutput(output: CeilingOutput): void {
  process.stdout.write(`${JSON.stringify(output)}\n`);
}
