import type { Subprocess } from "bun";

export type RunningService = {
  name: string;
  baseUrl: string;
  pid: number;
  /** Milliseconds from spawn to the first `/health/ready` 200. */
  readyMs: number;
  stop(): Promise<void>;
};

export type ServiceLaunch = {
  name: string;
  entry: string;
  port: number;
  env: Record<string, string>;
  /** Service output goes here (a file, so logging costs what it costs in production, and stays readable). */
  logFile: string;
  /** Path answering 200 once the service can serve (its database reachable). */
  readyPath?: string;
  /** Extra Bun flags, e.g. `--cpu-prof`. */
  bunFlags?: string[];
};

const pollMs = 5;
const readyTimeoutMs = 30_000;

async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Starts `bun <entry>` as its own process and times it to its first ready answer. */
export async function startService(launch: ServiceLaunch): Promise<RunningService> {
  const started = performance.now();
  const proc: Subprocess = Bun.spawn([process.execPath, ...(launch.bunFlags ?? []), launch.entry], {
    env: { ...process.env, ...launch.env, PORT: String(launch.port) },
    stdin: "ignore",
    stdout: Bun.file(launch.logFile),
    stderr: Bun.file(`${launch.logFile}.err`),
  });
  const baseUrl = `http://127.0.0.1:${launch.port}`;
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`${launch.name} exited with ${proc.exitCode}; see ${launch.logFile}(.err)`);
    if (await isReady(`${baseUrl}${launch.readyPath ?? "/health/ready"}`)) break;
    if (performance.now() - started > readyTimeoutMs) {
      proc.kill("SIGKILL");
      throw new Error(`${launch.name} not ready after ${readyTimeoutMs} ms; see ${launch.logFile}(.err)`);
    }
    await Bun.sleep(pollMs);
  }
  const readyMs = performance.now() - started;
  const killOnExit = () => proc.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    name: launch.name,
    baseUrl,
    pid: proc.pid,
    readyMs,
    stop: async () => {
      process.off("exit", killOnExit);
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      const forced = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await proc.exited;
      clearTimeout(forced);
    },
  };
}
