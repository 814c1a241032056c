import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startMongoServer } from "@ecom/mongo-server";
import { freePort, startPostgres } from "@ecom/test-harness";
import { childrenMatching, processTree, readMemory } from "../stats/proc.ts";
import { type RunningService, type ServiceLaunch, startService } from "./service-process.ts";

export const SERVICE_NAMES = ["user-service", "product-service", "order-service", "gateway"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

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

const repoRoot = join(import.meta.dir, "..", "..", "..");
const entry = (dir: string) => join(repoRoot, "apps", dir, "src", "index.ts");

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
  const ports = Object.fromEntries(SERVICE_NAMES.map((n) => [n, freePort()])) as Record<ServiceName, number>;
  const url = (n: ServiceName) => `http://127.0.0.1:${ports[n]}`;
  const common = {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    LOG_LEVEL: options.logLevel,
    INTERNAL_SERVICE_TOKEN: serviceToken,
  };
  const jwksUrl = `${url("user-service")}/api/users/.well-known/jwks.json`;
  const launches: Record<ServiceName, Omit<ServiceLaunch, "logFile">> = {
    "user-service": {
      name: "user-service",
      entry: entry("user-service"),
      port: ports["user-service"],
      env: {
        ...common,
        DATABASE_URL: usersDb,
        DATA_DIR: join(scratch, "users"),
        JWT_PRIVATE_KEY: signingKey.toString(),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
      },
    },
    "product-service": {
      name: "product-service",
      entry: entry("product-service"),
      port: ports["product-service"],
      env: {
        ...common,
        MONGO_URL: mongo.url,
        MONGO_DB_NAME: "products_bench",
        JWKS_URL: jwksUrl,
        SEED_ON_EMPTY: "false",
      },
    },
    "order-service": {
      name: "order-service",
      entry: entry("order-service"),
      port: ports["order-service"],
      env: {
        ...common,
        DATABASE_URL: ordersDb,
        DATA_DIR: join(scratch, "orders"),
        JWKS_URL: jwksUrl,
        USER_SERVICE_URL: url("user-service"),
        PRODUCT_SERVICE_URL: url("product-service"),
      },
    },
    gateway: {
      name: "gateway",
      entry: join(repoRoot, "apps", "gateway", "src", "index.ts"),
      port: ports.gateway,
      env: {
        ...common,
        USER_SERVICE_URL: url("user-service"),
        PRODUCT_SERVICE_URL: url("product-service"),
        ORDER_SERVICE_URL: url("order-service"),
      },
      // The local gateway has no database, so it answers only /health/live.
      readyPath: "/health/live",
    },
  };
  const launch = (name: ServiceName, round: string) =>
    startService({
      ...launches[name],
      logFile: join(options.logDir, `${name}.${round}.log`),
      ...(options.profileDir && round === "run"
        ? { bunFlags: ["--cpu-prof", `--cpu-prof-dir=${join(options.profileDir, name)}`] }
        : {}),
    });

  const services = {} as Record<ServiceName, RunningService>;
  const startup = {} as Record<ServiceName, StartupFigure>;
  const stopAll = async () => {
    // Reverse order: callers first, so nothing logs a lost dependency while stopping.
    for (const name of [...SERVICE_NAMES].reverse()) await services[name]?.stop();
  };
  try {
    // Dependencies first: the order service and gateway call the others.
    for (const name of SERVICE_NAMES) services[name] = await launch(name, "first");
    const firstReady = Object.fromEntries(SERVICE_NAMES.map((n) => [n, services[n].readyMs]));
    await stopAll();
    for (const name of SERVICE_NAMES) {
      services[name] = await launch(name, "run");
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
