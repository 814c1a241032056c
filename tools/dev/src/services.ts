import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type DevConfig, repoRoot } from "./dev-config.ts";

export type ServiceSpec = {
  /** Short name used as the log prefix. */
  label: "user" | "product" | "order" | "gateway";
  entry: string;
  port: number;
  portVariable: string;
  /** Source directories whose changes restart this process. */
  watch: string[];
  env: Record<string, string>;
  /** Probe that says the process can serve requests. */
  readyPath: string;
};

const app = (name: string) => join(repoRoot, "apps", name);
const local = (port: number) => `http://127.0.0.1:${port}`;

/** Variables a developer's shell may hold that must not leak into a service by accident. */
const perServiceVariables = [
  "PORT",
  "DATABASE_URL",
  "MONGO_URL",
  "DATA_DIR",
  "USER_SERVICE_URL",
  "PRODUCT_SERVICE_URL",
  "ORDER_SERVICE_URL",
  "JWKS_URL",
];

export function baseEnv(parent: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && !perServiceVariables.includes(key)) env[key] = value;
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

/** The three services and the gateway, wired to each other on loopback. */
export function serviceSpecs(
  config: DevConfig,
  shared: { mongoUrl: string; serviceToken: string },
): ServiceSpec[] {
  const common = {
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    LOG_LEVEL: config.LOG_LEVEL,
    INTERNAL_SERVICE_TOKEN: shared.serviceToken,
    JWKS_URL: `${local(config.USER_PORT)}/api/users/.well-known/jwks.json`,
  };
  const packages = sharedSources();
  const optional = (name: string, value: string | undefined) => (value ? { [name]: value } : {});
  return [
    {
      label: "user",
      entry: join(app("user-service"), "src", "index.ts"),
      port: config.USER_PORT,
      portVariable: "USER_PORT",
      watch: [join(app("user-service"), "src"), ...packages],
      readyPath: "/health/ready",
      env: {
        ...common,
        PORT: String(config.USER_PORT),
        DATA_DIR: join(config.DEV_DATA_DIR, "user-service"),
        // The gateway reaches it over loopback; its X-Forwarded-For then names the real client.
        TRUSTED_PROXIES: "127.0.0.1,::1",
        ADMIN_EMAIL: config.ADMIN_EMAIL,
        ADMIN_PASSWORD: config.ADMIN_PASSWORD,
        ...optional("DATABASE_URL", config.DATABASE_URL_USERS),
      },
    },
    {
      label: "product",
      entry: join(app("product-service"), "src", "index.ts"),
      port: config.PRODUCT_PORT,
      portVariable: "PRODUCT_PORT",
      watch: [join(app("product-service"), "src"), ...packages],
      readyPath: "/health/ready",
      env: { ...common, PORT: String(config.PRODUCT_PORT), MONGO_URL: shared.mongoUrl },
    },
    {
      label: "order",
      entry: join(app("order-service"), "src", "index.ts"),
      port: config.ORDER_PORT,
      portVariable: "ORDER_PORT",
      watch: [join(app("order-service"), "src"), ...packages],
      readyPath: "/health/ready",
      env: {
        ...common,
        PORT: String(config.ORDER_PORT),
        DATA_DIR: join(config.DEV_DATA_DIR, "order-service"),
        USER_SERVICE_URL: local(config.USER_PORT),
        PRODUCT_SERVICE_URL: local(config.PRODUCT_PORT),
        ...optional("DATABASE_URL", config.DATABASE_URL_ORDERS),
      },
    },
    {
      label: "gateway",
      entry: join(app("gateway"), "src", "index.ts"),
      port: config.GATEWAY_PORT,
      portVariable: "GATEWAY_PORT",
      watch: [join(app("gateway"), "src"), ...packages],
      readyPath: "/health/live",
      env: {
        NODE_ENV: "development",
        LOG_LEVEL: config.LOG_LEVEL,
        PORT: String(config.GATEWAY_PORT),
        HOST: config.GATEWAY_HOST,
        USER_SERVICE_URL: local(config.USER_PORT),
        PRODUCT_SERVICE_URL: local(config.PRODUCT_PORT),
        ORDER_SERVICE_URL: local(config.ORDER_PORT),
      },
    },
  ];
}
