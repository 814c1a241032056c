import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  connectionEnv,
  gateway,
  type ProcessKey,
  type ProcessSpec,
  repoRoot,
  type ServiceKey,
  services,
} from "@ecom/system";
import type { DevConfig } from "./dev-config.ts";

/** A process of the system as `bun run dev` runs it: on its dev port, restarted when `watch` changes. */
export type DevProcess = ProcessSpec & {
  /** Source directories whose changes restart this process. */
  watch: string[];
  /** What dev gives it on top of the developer's shell environment. */
  env: Record<string, string>;
};

const processes: readonly ProcessSpec[] = [...services, gateway];
const local = (port: number) => `http://127.0.0.1:${port}`;
const urlsAt = (port: (spec: ProcessSpec) => number) =>
  Object.fromEntries(services.map((s) => [s.key, local(port(s))])) as Record<ServiceKey, string>;

const defaultUrls = urlsAt((s) => s.port);
/** Variables a developer's shell may hold that must not leak into a service by accident. */
const perServiceVariables = new Set([
  "PORT",
  "DATABASE_URL",
  "MONGO_URL",
  "DATA_DIR",
  // Every variable that connects one process to another.
  ...processes.flatMap((p) => Object.keys(connectionEnv(p.key, defaultUrls))),
]);

export function baseEnv(parent: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && !perServiceVariables.has(key)) env[key] = value;
  }
  return env;
}

/** The src directory of every shared package: code every process loads. */
function sharedSources(): string[] {
  const root = join(repoRoot, "packages");
  return readdirSync(root)
    .map((name) => join(root, name, "src"))
    .filter((dir) => existsSync(dir));
}

/** The port the dev config gives a process, read by the variable the topology names for it. */
function devPort(config: DevConfig, spec: ProcessSpec): number {
  const port = (config as Record<string, unknown>)[spec.devPortVariable];
  if (typeof port !== "number") throw new Error(`the dev config has no ${spec.devPortVariable}`);
  return port;
}

/** The three services and the gateway, wired to each other on loopback. */
export function devProcesses(
  config: DevConfig,
  shared: { mongoUrl: string; serviceToken: string },
): DevProcess[] {
  const common = {
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    LOG_LEVEL: config.LOG_LEVEL,
    INTERNAL_SERVICE_TOKEN: shared.serviceToken,
  };
  const optional = (name: string, value: string | undefined) => (value ? { [name]: value } : {});
  /** What only dev gives each process: data under DEV_DATA_DIR, the demo admin, external databases. */
  const own: Record<ProcessKey, Record<string, string>> = {
    users: {
      ...common,
      DATA_DIR: join(config.DEV_DATA_DIR, "user-service"),
      // The gateway reaches it over loopback; its X-Forwarded-For then names the real client.
      TRUSTED_PROXIES: "127.0.0.1,::1",
      ADMIN_EMAIL: config.ADMIN_EMAIL,
      ADMIN_PASSWORD: config.ADMIN_PASSWORD,
      ...optional("DATABASE_URL", config.DATABASE_URL_USERS),
    },
    products: { ...common, MONGO_URL: shared.mongoUrl },
    orders: {
      ...common,
      DATA_DIR: join(config.DEV_DATA_DIR, "order-service"),
      ...optional("DATABASE_URL", config.DATABASE_URL_ORDERS),
    },
    gateway: { NODE_ENV: "development", LOG_LEVEL: config.LOG_LEVEL, HOST: config.GATEWAY_HOST },
  };
  const urls = urlsAt((s) => devPort(config, s));
  const packages = sharedSources();
  return processes.map((spec) => ({
    ...spec,
    port: devPort(config, spec),
    watch: [dirname(spec.entry), ...packages],
    env: { ...own[spec.key], ...connectionEnv(spec.key, urls) },
  }));
}
