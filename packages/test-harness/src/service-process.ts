import { spawnProcess } from "@ecom/system/spawn";
import type { Subprocess } from "bun";
import { BOOT_BOUND_MS } from "./wait-until.ts";

export type ServiceProcess = {
  baseUrl: string;
  proc: Subprocess;
  /** Every stdout and stderr line so far (JSON log lines from the service). */
  lines(): string[];
  /**
   * Sends a signal (SIGKILL after `killAfterMs`, when given) and returns the exit code once the
   * process is gone and its last lines are in `lines()`.
   */
  kill(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
};

/**
 * Starts a service entry point as a real process and waits until `readyPath` (`/health/live` unless
 * told) answers, so tests exercise real HTTP, real signals and real logs. It waits as long as the
 * process takes to get there and fails, with the process's output, as soon as it exits instead;
 * `timeoutMs` only ends a hang.
 */
export async function startServiceProcess(options: {
  entry: string;
  port: number;
  env: Record<string, string>;
  readyPath?: string;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  const child = spawnProcess({
    entry: options.entry,
    port: options.port,
    env: { ...process.env, ...options.env },
    readyPath: options.readyPath ?? "/health/live",
    output: { lines: {} },
    hangBoundMs: options.timeoutMs ?? BOOT_BOUND_MS,
  });
  await child.ready;
  return { baseUrl: child.baseUrl, proc: child.proc, lines: child.lines, kill: child.stop };
}
