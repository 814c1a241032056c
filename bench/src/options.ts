/** Every knob, from `--name=value` flags or BENCH_* variables (flags win), with the defaults used for the figures. */
export type BenchOptions = {
  /** Seconds of measured load per scenario. */
  durationSec: number;
  /** Seconds of unmeasured load before each scenario (JIT, pools, caches). */
  warmupSec: number;
  /** Concurrent connections for reads (catalog, /me) and their ceilings. */
  connections: number;
  /** Concurrent connections placing orders (and the PostgreSQL ceiling's concurrency). */
  orderConnections: number;
  /** Concurrent logins; each costs one argon2id verification. */
  loginConnections: number;
  /** Registered customers placing orders and logging in. */
  customers: number;
  catalogSize: number;
  contendedStock: number;
  /** LOG_LEVEL of every service. */
  logLevel: "debug" | "info" | "warn" | "error";
  /** Start the services with `bun --cpu-prof`; profiles land beside the results. */
  profile: boolean;
  /** Comma-separated scenario name prefixes to run (ceilings always run); empty runs all. */
  only: string[];
};

const flag = (argv: string[], name: string) =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ??
  (argv.includes(`--${name}`) ? "1" : undefined);

export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const read = (name: string, envName: string) => flag(argv, name) ?? env[envName];
  const num = (name: string, envName: string, fallback: number) => {
    const raw = read(name, envName);
    const value = raw === undefined || raw === "" ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} / ${envName} must be a positive number`);
    return value;
  };
  const logLevel = read("log-level", "BENCH_LOG_LEVEL") ?? "warn";
  if (!["debug", "info", "warn", "error"].includes(logLevel))
    throw new Error(`unknown log level ${logLevel}`);
  return {
    durationSec: num("duration", "BENCH_DURATION", 8),
    warmupSec: num("warmup", "BENCH_WARMUP", 2),
    connections: num("connections", "BENCH_CONNECTIONS", 16),
    orderConnections: num("order-connections", "BENCH_ORDER_CONNECTIONS", 16),
    loginConnections: num("login-connections", "BENCH_LOGIN_CONNECTIONS", 4),
    customers: num("customers", "BENCH_CUSTOMERS", 40),
    catalogSize: num("catalog", "BENCH_CATALOG", 200),
    contendedStock: num("contended-stock", "BENCH_CONTENDED_STOCK", 50),
    logLevel: logLevel as BenchOptions["logLevel"],
    profile: ["1", "true"].includes(read("profile", "BENCH_PROFILE") ?? ""),
    only: (read("only", "BENCH_ONLY") ?? "").split(",").filter(Boolean),
  };
}
