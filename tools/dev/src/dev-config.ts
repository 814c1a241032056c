import { join } from "node:path";
import { gateway, repoRoot, service } from "@ecom/system";
import { z } from "zod";

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** Everything `bun run dev` reads; all optional, so a fresh clone runs with nothing configured. */
export const devEnv = z.object({
  // Named as each process's `devPortVariable` in @ecom/system; services.ts reads them by that name.
  USER_PORT: port(service("users").port),
  PRODUCT_PORT: port(service("products").port),
  ORDER_PORT: port(service("orders").port),
  GATEWAY_PORT: port(gateway.port),
  /**
   * Where the gateway listens; loopback unless told otherwise (`0.0.0.0` to reach it from another
   * machine). The services always listen on loopback: only the gateway is meant to be reached.
   */
  GATEWAY_HOST: z.union([z.ipv4(), z.ipv6()]).default("127.0.0.1"),
  /** External databases; unset → embedded PGlite / the embedded mongo server under DEV_DATA_DIR. */
  DATABASE_URL_USERS: z.url().optional(),
  DATABASE_URL_ORDERS: z.url().optional(),
  MONGO_URL: z.string().startsWith("mongodb://").optional(),
  DEV_DATA_DIR: z.string().default(join(repoRoot, ".data")),
  ADMIN_EMAIL: z.email().default("admin@ecom.local"),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").default("admin-dev-password"),
  /** Unset → a fresh random token per run, shared by the services only. */
  INTERNAL_SERVICE_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** How long a service may take to stop on SIGTERM before it is killed. */
  DEV_STOP_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Only a bound for a hang: how long a process may take to become ready after it was started. */
  DEV_READY_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** `false` turns off restarting services when their source changes. */
  DEV_WATCH: z.enum(["true", "false"]).default("true"),
});

export type DevConfig = z.infer<typeof devEnv>;
