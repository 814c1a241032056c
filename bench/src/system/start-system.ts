import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMongoServer } from "@ecom/mongo-server";
import {
  connectionEnv,
  gateway,
  type ProcessKey,
  type ProcessSpec,
  services as serviceSpecs,
} from "@ecom/system";
import { freePort, startPostgres } from "@ecom/test-harness";
import { childrenMatching, processTree, readMemory } from "../stats/proc.ts";
import { type RunningService, startService } from "./service-process.ts";

/** The processes by their package name, as the report and the results' JSON name them. */
export type ServiceName = "user-service" | "product-service" | "order-service" | "gateway";
/** Every process, dependencies first: the order service and the gateway call the others. */
const processes = [...serviceSpecs, gateway].map((p) => ({ ...p, name: p.name as ServiceName }));
export const SERVICE_NAMES: readonly ServiceName[] = processes.map((p) => p.name);

export const ADMIN = { email: "admin@bench.local", password: "bench-admin-password-1" };

export type StartupFigure = {
  /** First start on an empty database: migrations, admin account (argon2id), indexes. */
  firstStartReadyMs: number;
  /** Restart with the database already up and initialized: what a rollout or crash restart costs. */
  readyMs: number;
  /** Resident memory one second after that restart, before any traffic. */
  idleRssBytes: number;
};

export type BenchSystem = Awaited<ReturnType<typeof startSystem>>;

/**
 * The whole system as production runs it, on this machine: real PostgreSQL (users, orders), the
 * MongoDB-wire server (products), each service its own `bun` process in NODE_ENV=production.
 */
export async function startSystem(options: { logLevel: string; logDir: string; profileDir?: string }) {
  mkdirSync(options.logDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), "ecom-bench-"));
  const postgres = await startPostgres();
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const mongo = await startMongoServer({
    memory: true,
    jit: "peak",
    ...(options.profileDir ? { flightRecording: join(options.profileDir, "mongo-server.jfr") } : {}),
  });
  const [usersDb, ordersDb, ceilingDb] = await Promise.all([
    postgres.createDatabase("users_bench"),
    postgres.createDatabase("orders_bench"),
    postgres.createDatabase("orders_ceiling"),
  ]);
  const postmaster = childrenMatching(process.pid, "postgres")[0];
  const javaPid = childrenMatching(process.pid, "mongo-server")[0];

  const serviceToken = `bench-${crypto.randomUUID()}`;
  const signingKey = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" });
  const ports = Object.fromEntries(processes.map((p) => [p.key, freePort()])) as Record<ProcessKey, number>;
  const url = (key: ProcessKey) => `http://127.0.0.1:${ports[key]}`;
  const urls = { users: url("users"), products: url("products"), orders: url("orders") };
  const common = {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    LOG_LEVEL: options.logLevel,
    INTERNAL_SERVICE_TOKEN: serviceToken,
  };
  /** What only the benchmark gives each process: its databases, keys and seed settings. */
  const own: Record<ProcessKey, Record<string, string>> = {
    users: {
      DATABASE_URL: usersDb,
      DATA_DIR: join(scratch, "users"),
      JWT_PRIVATE_KEY: signingKey.toString(),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
    products: { MONGO_URL: mongo.url, MONGO_DB_NAME: "products_bench", SEED_ON_EMPTY: "false" },
    orders: { DATABASE_URL: ordersDb, DATA_DIR: join(scratch, "orders") },
    gateway: {},
  };
  const launch = (p: ProcessSpec, round: string) =>
    startService({
      name: p.name,
      entry: p.entry,
      port: ports[p.key],
      env: { ...common, ...own[p.key], ...connectionEnv(p.key, urls) },
      readyPath: p.readyPath,
      logFile: join(options.logDir, `${p.name}.${round}.log`),
      ...(options.profileDir && round === "run"
        ? { bunFlags: ["--cpu-prof", `--cpu-prof-dir=${join(options.profileDir, p.name)}`] }
        : {}),
    });

  const services = {} as Record<ServiceName, RunningService>;
  const startup = {} as Record<ServiceName, StartupFigure>;
  const stopAll = async () => {
    // Reverse order: callers first, so nothing logs a lost dependency while stopping.
    for (const name of [...SERVICE_NAMES].reverse()) await services[name]?.stop();
  };
  try {
    for (const p of processes) services[p.name] = await launch(p, "first");
    const firstReady = Object.fromEntries(SERVICE_NAMES.map((n) => [n, services[n].readyMs]));
    await stopAll();
    for (const p of processes) {
      const name = p.name;
      services[name] = await launch(p, "run");
      await Bun.sleep(1_000);
      startup[name] = {
        firstStartReadyMs: firstReady[name] as number,
        readyMs: services[name].readyMs,
        idleRssBytes: readMemory(services[name].pid)?.rssBytes ?? 0,
      };
    }
  } catch (error) {
    await stopAll();
    await mongo.stop();
    await postgres.stop();
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }

  return {
    services,
    startup,
    serviceToken,
    mongoUrl: mongo.url,
    mongoDbName: "products_bench",
    ordersDbUrl: ordersDb,
    ceilingDbUrl: ceilingDb,
    /** Process groups whose CPU and memory each scenario reports. */
    processGroups: {
      ...Object.fromEntries(SERVICE_NAMES.map((n) => [n, () => [services[n].pid]])),
      postgres: () => (postmaster ? processTree(postmaster) : []),
      mongo: () => (javaPid ? [javaPid] : []),
    } as Record<string, () => number[]>,
    async stop() {
      await stopAll();
      await mongo.stop();
      await postgres.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
