import { spawnProcess } from "@ecom/system/spawn";

export type RunningService = {
  name: string;
  baseUrl: string;
  pid: number;
  /** Milliseconds from spawn to the first 200 on its readiness path. */
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
  /** Path answering 200 once the service can serve (a service: its database reachable). */
  readyPath: string;
  /** Extra Bun flags, e.g. `--cpu-prof`. */
  bunFlags?: string[];
};

/** Starts `bun <entry>` as its own process and times it to its first ready answer. */
export async function startService(launch: ServiceLaunch): Promise<RunningService> {
  const child = spawnProcess({
    name: launch.name,
    entry: launch.entry,
    port: launch.port,
    env: { ...process.env, ...launch.env },
    readyPath: launch.readyPath,
    output: { file: launch.logFile },
    bunFlags: launch.bunFlags,
    // Start-up is a reported figure: asked often, so the poll adds little to it.
    pollMs: 5,
    hangBoundMs: 30_000,
  });
  const readyMs = await child.ready;
  return {
    name: launch.name,
    baseUrl: child.baseUrl,
    pid: child.proc.pid,
    readyMs,
    stop: async () => {
      await child.stop("SIGTERM", 10_000);
    },
  };
}
