import { pumpLines } from "@ecom/stream-lines";
import type { Subprocess } from "bun";
import { BOOT_BOUND_MS, waitUntil } from "./wait-until.ts";

export type ServiceProcess = {
  baseUrl: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Every stdout line so far (JSON log lines from the service). */
  lines(): string[];
  /** Sends a signal and waits for the exit code. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Starts a service entry point as a real process and waits until `/health/live` answers, so tests
 * exercise real HTTP, real signals and real logs. It waits as long as the process takes to get there
 * and fails, with the process's output, as soon as it exits instead; `timeoutMs` only ends a hang.
 */
export async function startServiceProcess(options: {
  entry: string;
  port: number;
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  const proc = Bun.spawn(["bun", options.entry], {
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    stdout: "pipe",
    stderr: "pipe",
  });
  // Without a short deadline a test that times out may leave the child running: not past this run.
  const killOnExit = () => proc.kill("SIGKILL");
  process.once("exit", killOnExit);
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
    process.off("exit", killOnExit);
  });
  const collected: string[] = [];
  const collect = (line: string) => collected.push(line);
  const drained = Promise.all([pumpLines(proc.stdout, collect), pumpLines(proc.stderr, collect)]);
  const baseUrl = `http://127.0.0.1:${options.port}`;

  const timeoutMs = options.timeoutMs ?? BOOT_BOUND_MS;
  const deadline = Date.now() + timeoutMs;
  let live = false;
  await waitUntil(async () => {
    live = await fetch(`${baseUrl}/health/live`).then(
      (res) => res.ok,
      () => false, // not listening yet
    );
    return live || exited || Date.now() > deadline;
  }, 50);
  if (!live) {
    if (!exited) proc.kill("SIGKILL");
    await drained;
    const why = exited
      ? `exited with ${proc.exitCode ?? proc.signalCode} before it was live`
      : `was not live within ${timeoutMs} ms`;
    throw new Error(`${options.entry} ${why}:\n${collected.join("\n")}`);
  }
  return {
    baseUrl,
    proc,
    lines: () => [...collected],
    kill: async (signal = "SIGTERM") => {
      proc.kill(signal);
      return proc.exited;
    },
  };
}
