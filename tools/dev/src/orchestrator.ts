import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type MongoServerProcess, startMongoServer } from "@ecom/mongo-server";
import type { DevConfig } from "./dev-config.ts";
import { formatLine, type LogStyle } from "./log-printer.ts";
import { ManagedProcess } from "./managed-process.ts";
import { takenPortMessage } from "./port-check.ts";
import { baseEnv, type ServiceSpec, serviceSpecs } from "./services.ts";
import { watchSources } from "./source-watcher.ts";
import { urlTable } from "./url-table.ts";
import { waitReady } from "./wait-ready.ts";

type Running = { spec: ServiceSpec; proc: ManagedProcess };

/**
 * `bun run dev`: the embedded databases, the three services and the gateway as child processes,
 * their logs on one stream, restarts on source changes, and everything stopped on Ctrl-C/SIGTERM.
 */
export async function runDev(config: DevConfig, env: Record<string, string | undefined>, style: LogStyle) {
  const write = (label: string, line: string) => process.stdout.write(`${formatLine(label, line, style)}\n`);
  const say = (line: string) => write("dev", line);

  const sharedToken = config.INTERNAL_SERVICE_TOKEN ?? crypto.randomUUID() + crypto.randomUUID();
  const specsForPorts = serviceSpecs(config, { mongoUrl: "", serviceToken: "" });
  const taken = takenPortMessage(
    specsForPorts.map((s) => ({ port: s.port, variable: s.portVariable, what: `${s.label}` })),
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
      for (const r of running) r.proc.kill();
      process.exit(code);
    }
    shuttingDown = true;
    shutdownStartedAt = Date.now();
    for (const stop of stopWatching) stop();
    say("stopping everything (Ctrl-C again to kill at once)");
    // The gateway first, so no new request reaches a service that is going away.
    const gateway = running.filter((r) => r.spec.label === "gateway");
    await Promise.all(gateway.map((r) => r.proc.stop(config.DEV_STOP_TIMEOUT_MS)));
    await Promise.all(running.map((r) => r.proc.stop(config.DEV_STOP_TIMEOUT_MS)));
    await mongo?.stop();
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  process.on("exit", () => {
    for (const r of running) r.proc.kill();
  });

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
  const specs = serviceSpecs(config, { mongoUrl: config.MONGO_URL ?? mongo!.url, serviceToken: sharedToken });
  const onCrash = (label: string, code: number | null) => {
    if (shuttingDown || !started) return;
    say(`${label} exited with code ${code}; it restarts when its source changes`);
  };
  const startOne = (spec: ServiceSpec) => {
    const proc = new ManagedProcess(
      { label: spec.label, entry: spec.entry, env: { ...parentEnv, ...spec.env } },
      write,
      onCrash,
    );
    running.push({ spec, proc });
    proc.start();
    return { spec, proc };
  };
  const ready = (r: Running) =>
    waitReady(`http://127.0.0.1:${r.spec.port}${r.spec.readyPath}`, {
      timeoutMs: config.DEV_READY_TIMEOUT_MS,
      exited: () => !r.proc.running,
    });
  const bringUp = async (group: ServiceSpec[]) => {
    const members = group.map(startOne);
    const results = await Promise.all(members.map(ready));
    const failed = members.findIndex((_, i) => results[i] !== "ready");
    if (failed === -1) return true;
    const what =
      results[failed] === "exited"
        ? "exited during start-up (see its lines above)"
        : "did not become ready in time";
    say(`${members[failed]!.spec.label} ${what}; stopping`);
    await shutdown(1);
    return false;
  };

  const services = specs.filter((s) => s.label !== "gateway");
  if (!(await bringUp(services)) || shuttingDown) return;
  if (!(await bringUp(specs.filter((s) => s.label === "gateway"))) || shuttingDown) return;
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
    r.proc.start();
    const result = await ready(r);
    say(
      result === "ready"
        ? `${r.spec.label} is ready again`
        : `${r.spec.label} did not come back; fix it and save again`,
    );
    restarting.delete(r.spec.label);
    if (again.delete(r.spec.label)) await restart(r, file);
  }
}
