import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LatencySummary, summarize } from "../stats/percentiles.ts";
import type { LoadOutput, LoadSpec } from "./load-spec.ts";

export type LoadResult = LoadOutput & {
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  loadPid: number;
};

const workerPath = join(import.meta.dir, "load-worker.mjs");

/** Node when installed (faster for autocannon), else Bun itself. */
const runtime = Bun.which("node") ?? process.execPath;

/**
 * Runs the load generator as its own process, so its CPU never counts as the services' and the
 * bench process stays free to sample /proc while the load runs. `onStart` gets the pid.
 */
export async function runLoad(
  spec: Omit<LoadSpec, "latencyFile">,
  onStart?: (pid: number) => void,
): Promise<LoadResult> {
  const id = crypto.randomUUID();
  const specFile = join(tmpdir(), `bench-load-${id}.json`);
  const latencyFile = join(tmpdir(), `bench-load-${id}.lat`);
  writeFileSync(specFile, JSON.stringify({ ...spec, latencyFile } satisfies LoadSpec));
  try {
    const proc = Bun.spawn([runtime, workerPath, specFile], { stdout: "pipe", stderr: "pipe" });
    onStart?.(proc.pid);
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    if (code !== 0) throw new Error(`load generator exited with ${code}: ${stderr}`);
    const output = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as LoadOutput;
    const bytes = readFileSync(latencyFile);
    const latencies = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
    return {
      ...output,
      requestsPerSecond: output.responses / output.durationSec,
      latencyMs: summarize(latencies),
      loadPid: proc.pid,
    };
  } finally {
    rmSync(specFile, { force: true });
    rmSync(latencyFile, { force: true });
  }
}
