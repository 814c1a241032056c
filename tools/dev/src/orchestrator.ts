import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type MongoServerProcess, startMongoServer } from "@ecom/mongo-server";
import type { DevConfig } from "./dev-config.ts";
import { formatLine, type LogStyle } from "./log-printer.ts";
import { ManagedProcess } from "./managed-process.ts";
import { takenPortMessage } from "./port-check.ts";
import { baseEnv, type DevProcess, devProcesses } from "./services.ts";
import { watchSources } from "./source-watcher.ts";
import { urlTable } from "./url-table.ts";

type Running = { spec: DevProcess; proc: ManagedProcess };

/**
 * `bun run dev`: the embedded databases, the three services and the gateway as child processes,
 * their logs on one stream, restarts on source changes, and everything stopped on Ctrl-C/SIGTERM.
 */
export async function runDev(config: DevConfig, env: Record<string, string | undefined>, style: LogStyle) {
  const write = (label: string, line: string) => process.stdout.write(`${formatLine(label, line, style)}\n`);
  const say = (line: string) => write("dev", line);

  const sharedToken = config.INTERNAL_SERVICE_TOKEN ?? crypto.randomUUID() + crypto.randomUUID();
  const specsForPorts = devProcesses(config, { mongoUrl: "", serviceToken: "" });
  const taken = takenPortMessage(
    specsForPorts.map((s) => ({ port: s.port, variable: s.devPortVariable, what: s.label })),
  );
  if (taken) {
    process.stderr.write(`${taken}\n`);
    process.exit(1);
  }

  let mongo: MongoServerProcess | undefined;
  const running: Running[] = [];
  const stopWatching: (() => void)[] = [];
  let shuttingDown = false;
  let started = false;

  let shutdownStartedAt = 0;
  const shutdown = async (code: number) => {
    if (shuttingDown) {
      // A terminal's Ctrl-C reaches us twice at once (from the tty and forwarded by `bun run`);
      // only a second press, later, means "do not wait any longer".
      if (Date.now() - shutdownStartedAt < 1000) return;
      // Every child is SIGKILLed by its exit hook (@ecom/system's spawnProcess).
      process.exit(code);
    }
    shuttingDown = true;
    shutdownStartedAt = Date.now();
    for (const stop of stopWatching) stop();
    say("stopping everything (Ctrl-C again to kill at once)");
    // The gateway first, so no new request reaches a service that is going away.
    const gateway = running.filter((r) => r.spec.key === "gateway");
    await Promise.all(gateway.map((r) => r.proc.stop(config.DEV_STOP_TIMEOUT_MS)));
    await Promise.all(running.map((r) => r.proc.stop(config.DEV_STOP_TIMEOUT_MS)));
    await mongo?.stop();
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  const databases: string[] = [];
  if (config.MONGO_URL) {
    databases.push(`Products: ${config.MONGO_URL} (external)`);
  } else {
    const dataDir = join(config.DEV_DATA_DIR, "mongo");
    mkdirSync(dataDir, { recursive: true });
    say(`starting the embedded mongo server (data in ${dataDir})`);
    mongo = await startMongoServer({ dataDir, jit: "peak" });
    databases.push(`Products: embedded mongo server at ${mongo.url} (data in ${dataDir})`);
  }
  databases.push(
    config.DATABASE_URL_USERS
      ? "Users: DATABASE_URL_USERS (external PostgreSQL)"
      : `Users: embedded PGlite in ${join(config.DEV_DATA_DIR, "user-service")}`,
    config.DATABASE_URL_ORDERS
      ? "Orders: DATABASE_URL_ORDERS (external PostgreSQL)"
      : `Orders: embedded PGlite in ${join(config.DEV_DATA_DIR, "order-service")}`,
  );
  if (shuttingDown) return;

  const parentEnv = baseEnv(env);
  const specs = devProcesses(config, { mongoUrl: config.MONGO_URL ?? mongo!.url, serviceToken: sharedToken });
  const onCrash = (label: string, code: number | null) => {
    if (shuttingDown || !started) return;
    say(`${label} exited with code ${code}; it restarts when its source changes`);
  };
  /** Starts one process and resolves once it is ready or why it is not. */
  const startOne = (spec: DevProcess) => {
    const proc = new ManagedProcess(
      {
        label: spec.label,
        entry: spec.entry,
        port: spec.port,
        readyPath: spec.readyPath,
        env: { ...parentEnv, ...spec.env },
        readyBoundMs: config.DEV_READY_TIMEOUT_MS,
      },
      write,
      onCrash,
    );
    running.push({ spec, proc });
    return proc.start();
  };
  const bringUp = async (group: DevProcess[]) => {
    const results = await Promise.all(group.map(startOne));
    const failed = results.findIndex((result) => result !== "ready");
    if (failed === -1) return true;
    // A Ctrl-C during start-up stops processes that were not ready yet: that is no failure to report.
    if (shuttingDown) return false;
    const what =
      results[failed] === "exited"
        ? "exited during start-up (see its lines above)"
        : "did not become ready in time";
    say(`${group[failed]!.label} ${what}; stopping`);
    await shutdown(1);
    return false;
  };

  const services = specs.filter((s) => s.key !== "gateway");
  if (!(await bringUp(services)) || shuttingDown) return;
  if (!(await bringUp(specs.filter((s) => s.key === "gateway"))) || shuttingDown) return;
  const restarting = new Set<string>();
  const again = new Set<string>();
  // Watching before the table is printed: a file saved once the table is out is always noticed.
  if (config.DEV_WATCH === "true") {
    for (const r of running) {
      stopWatching.push(watchSources(r.spec.watch, 300, (file) => void restart(r, file)));
    }
  }
  started = true;
  process.stdout.write(`${urlTable(specs, config, databases)}\n`);

  async function restart(r: Running, file: string): Promise<void> {
    if (shuttingDown) return;
    if (restarting.has(r.spec.label)) {
      again.add(r.spec.label);
      return;
    }
    restarting.add(r.spec.label);
    say(`${file} changed; restarting ${r.spec.label}`);
    await r.proc.stop(config.DEV_STOP_TIMEOUT_MS);
    if (shuttingDown) return;
    const result = await r.proc.start();
    say(
      result === "ready"
        ? `${r.spec.label} is ready again`
        : `${r.spec.label} did not come back; fix it and save again`,
    );
    restarting.delete(r.spec.label);
    if (again.delete(r.spec.label)) await restart(r, file);
  }
}
