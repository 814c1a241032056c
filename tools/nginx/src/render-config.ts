import { readFileSync } from "node:fs";
import { join } from "node:path";

export const templatePath = join(import.meta.dir, "..", "nginx.conf.template");

/** `host:port` of every instance, per service. */
export type Instances = { users: string[]; products: string[]; orders: string[] };

export type NginxSettings = {
  /** nginx's prefix directory: pid, logs, temp files. */
  prefix: string;
  listenHost: string;
  port: number;
  certFile: string;
  keyFile: string;
  instances: Instances;
  /** nginx rate syntax, e.g. `30r/m`. */
  loginRate: string;
  loginBurst: number;
  clientMaxBodySize: string;
  connectTimeout: string;
  sendTimeout: string;
  readTimeout: string;
  /** An instance that failed this many times is skipped for `failTimeout` (passive health check). */
  maxFails: number;
  failTimeout: string;
  /** nginx's master runs as root here; workers need `user root` to use the root-owned temp dir. */
  runAsRoot: boolean;
  /**
   * Plain-HTTP loopback ports that forward everything (including /trpc) to all instances of one
   * service: the stand-in for the cluster's Service objects, for service-to-service calls.
   */
  internalPorts?: { users: number; products: number; orders: number };
};

function serverLines(instances: string[], settings: NginxSettings): string {
  if (instances.length === 0) throw new Error("every service needs at least one instance");
  return instances
    .map((i) => `    server ${i} max_fails=${settings.maxFails} fail_timeout=${settings.failTimeout};`)
    .join("\n");
}

function internalServer(port: number, upstream: string): string {
  return `
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_next_upstream error timeout;
    }
  }`;
}

/** nginx rate `Nr/s` or `Nr/m` → seconds until one more request is allowed. */
export function retryAfterSeconds(rate: string): number {
  const match = /^(\d+)r\/([sm])$/.exec(rate);
  if (!match) throw new Error(`invalid nginx rate ${rate}; use e.g. 30r/m or 5r/s`);
  const perSecond = Number(match[2] === "m" ? Number(match[1]) / 60 : Number(match[1]));
  return Math.max(1, Math.ceil(1 / perSecond));
}

export function renderNginxConfig(
  settings: NginxSettings,
  template = readFileSync(templatePath, "utf8"),
): string {
  const internal = settings.internalPorts;
  const values: Record<string, string> = {
    USER_DIRECTIVE: settings.runAsRoot ? "user root;" : "",
    PREFIX: settings.prefix,
    LISTEN_HOST: settings.listenHost,
    PORT: String(settings.port),
    CERT_FILE: settings.certFile,
    KEY_FILE: settings.keyFile,
    LOGIN_RATE: settings.loginRate,
    LOGIN_BURST: String(settings.loginBurst),
    LOGIN_RETRY_AFTER: String(retryAfterSeconds(settings.loginRate)),
    CLIENT_MAX_BODY_SIZE: settings.clientMaxBodySize,
    CONNECT_TIMEOUT: settings.connectTimeout,
    SEND_TIMEOUT: settings.sendTimeout,
    READ_TIMEOUT: settings.readTimeout,
    USER_SERVERS: serverLines(settings.instances.users, settings),
    PRODUCT_SERVERS: serverLines(settings.instances.products, settings),
    ORDER_SERVERS: serverLines(settings.instances.orders, settings),
    INTERNAL_SERVERS: internal
      ? [
          internalServer(internal.users, "user_service"),
          internalServer(internal.products, "product_service"),
          internalServer(internal.orders, "order_service"),
        ].join("\n")
      : "",
  };
  const rendered = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`nginx template uses unknown placeholder ${whole}`);
    return value;
  });
  return rendered;
}
