import { pumpLines } from "@ecom/stream-lines";
import type { Subprocess } from "bun";

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
 * exercise real HTTP, real signals and real logs.
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
  const collected: string[] = [];
  const collect = (line: string) => collected.push(line);
  void pumpLines(proc.stdout, collect);
  void pumpLines(proc.stderr, collect);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`${options.entry} exited with ${proc.exitCode}:\n${collected.join("\n")}`);
    try {
      const res = await fetch(`${baseUrl}/health/live`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`${options.entry} did not become live:\n${collected.join("\n")}`);
    }
    await Bun.sleep(50);
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
