import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NginxOptions, type NginxProcess, startNginx } from "@ecom/nginx";
import {
  connectionEnv,
  gateway as gatewaySpec,
  type ServiceKey,
  service as serviceSpec,
  services as serviceSpecs,
} from "@ecom/system";
import {
  freePort,
  type MongoServer,
  type PostgresServer,
  type ServiceProcess,
  startMongo,
  startPostgres,
  startServiceProcess,
} from "@ecom/test-harness";

export type ServiceName = ServiceKey;
export const serviceNames: ServiceName[] = serviceSpecs.map((s) => s.key);

export type SystemOptions = {
  /** Instances of each service behind nginx; 2 unless a suite needs fewer. */
  instances?: number;
  /** Also start the Bun gateway (apps/gateway) in front of the services; its URL is `bunGatewayUrl`. */
  bunGateway?: boolean;
  /** nginx settings a suite wants to tighten (login rate, body limit, timeouts). */
  nginx?: Omit<NginxOptions, "instances" | "internalPorts" | "port">;
  /** Extra environment per service, e.g. shorter recovery intervals. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
};

export type LogRecord = Record<string, unknown> & { source: string };

export type E2eSystem = {
  /** nginx over HTTPS with a self-signed certificate: use `api()` from ./client.ts or `tls.rejectUnauthorized: false`. */
  gatewayUrl: string;
  /** The Bun gateway over HTTP, when `bunGateway` was asked for. */
  bunGatewayUrl?: string;
  /** Every instance started, by service, in start order (a stopped one stays in the list). */
  services: Record<ServiceName, ServiceProcess[]>;
  nginx: NginxProcess;
  /** The admin the user service created at start-up. */
  admin: { email: string; password: string };
  /**
   * Parsed JSON log lines: of one service's instances (`source` is e.g. "products#1"), nginx's access
   * log ("nginx"), the Bun gateway ("gateway"), or all of them.
   */
  logs(of?: ServiceName | "nginx" | "gateway"): LogRecord[];
  /** Stops one instance (SIGKILL by default: a crash) and waits until it is gone. */
  stopInstance(service: ServiceName, index: number, signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts a stopped instance again on its port with its environment and waits until it is ready; the
   * new process is appended to `services[service]` (the old one stays for its logs) and its index returned.
   */
  restartInstance(service: ServiceName, index: number): Promise<number>;
  stop(): Promise<void>;
};

function parseLines(source: string, lines: string[]): LogRecord[] {
  return lines.flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [{ ...(JSON.parse(line) as Record<string, unknown>), source }];
    } catch {
      return [];
    }
  });
}

async function stopProcess(instance: ServiceProcess): Promise<void> {
  await instance.kill("SIGTERM", 10_000);
}

/**
 * The whole system as it runs in a cluster, on one machine: real PostgreSQL (two databases), the
 * mongo server, `instances` real processes of each service sharing those databases, and real nginx
 * in front with TLS. Service-to-service calls go through nginx's internal plain-HTTP ports (the
 * stand-in for the cluster's Services), so a dead instance is routed around there too.
 */
export async function startSystem(options: SystemOptions = {}): Promise<E2eSystem> {
  const count = options.instances ?? 2;
  const cleanups: (() => Promise<void>)[] = [];
  const services: Record<ServiceName, ServiceProcess[]> = { users: [], products: [], orders: [] };
  let gateway: ServiceProcess | undefined;
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };

  try {
    const dir = mkdtempSync(join(tmpdir(), "ecom-e2e-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const postgres: PostgresServer = await startPostgres();
    cleanups.push(() => postgres.stop());
    const ordersDatabaseUrl = await postgres.createDatabase();
    const mongo: MongoServer = await startMongo();
    cleanups.push(() => mongo.stop());

    const ports = Object.fromEntries(
      serviceNames.map((s) => [s, Array.from({ length: count }, () => freePort())]),
    ) as Record<ServiceName, number[]>;
    const internal = { users: freePort(), products: freePort(), orders: freePort() };
    const nginx = await startNginx({
      ...options.nginx,
      instances: {
        users: ports.users.map((p) => `127.0.0.1:${p}`),
        products: ports.products.map((p) => `127.0.0.1:${p}`),
        orders: ports.orders.map((p) => `127.0.0.1:${p}`),
      },
      internalPorts: internal,
    });
    cleanups.push(() => nginx.stop());

    const admin = { email: "admin@e2e.test", password: `admin-${crypto.randomUUID()}` };
    // One signing key for every user-service instance, as a cluster Secret would provide.
    const { privateKey } = generateKeyPairSync("ed25519");
    // Every process reaches the services through nginx's internal ports, as through a cluster's Services.
    const lb = Object.fromEntries(serviceNames.map((s) => [s, `http://127.0.0.1:${internal[s]}`])) as Record<
      ServiceName,
      string
    >;
    const common = {
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      INTERNAL_SERVICE_TOKEN: `e2e-${crypto.randomUUID()}`,
    };
    const env: Record<ServiceName, (i: number) => Record<string, string>> = {
      users: (i) => ({
        DATABASE_URL: postgres.url,
        DATA_DIR: join(dir, `users-${i}`),
        // nginx on loopback is the proxy in front; its X-Forwarded-For names the client.
        TRUSTED_PROXIES: "127.0.0.1",
        JWT_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        JWT_KEY_ID: "e2e-signing-key",
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
      }),
      products: () => ({ MONGO_URL: mongo.url }),
      orders: (i) => ({ DATABASE_URL: ordersDatabaseUrl, DATA_DIR: join(dir, `orders-${i}`) }),
    };

    const slots = new Map<ServiceProcess, number>();
    const launch = async (s: ServiceName, i: number) => {
      const instance = await startServiceProcess({
        entry: serviceSpec(s).entry,
        port: ports[s][i]!,
        env: { ...common, ...env[s](i), ...connectionEnv(s, lb), ...options.env?.[s] },
        readyPath: serviceSpec(s).readyPath,
      });
      services[s].push(instance);
      slots.set(instance, i);
      cleanups.push(() => stopProcess(instance));
      return instance;
    };

    // The first instance of each service migrates and seeds alone; the others then join.
    for (let i = 0; i < count; i++) await Promise.all(serviceNames.map((s) => launch(s, i)));

    if (options.bunGateway) {
      gateway = await startServiceProcess({
        entry: gatewaySpec.entry,
        port: freePort(),
        env: { HOST: "127.0.0.1", ...connectionEnv("gateway", lb) },
        readyPath: gatewaySpec.readyPath,
      });
      const started = gateway;
      cleanups.push(() => stopProcess(started));
    }

    return {
      gatewayUrl: nginx.url,
      bunGatewayUrl: gateway?.baseUrl,
      services,
      nginx,
      admin,
      logs: (of) => {
        const fromService = (s: ServiceName) =>
          services[s].flatMap((instance, i) => parseLines(`${s}#${i}`, instance.lines()));
        if (of === "nginx") return nginx.accessLog().map((r) => ({ ...r, source: "nginx" }));
        if (of === "gateway") return gateway ? parseLines("gateway", gateway.lines()) : [];
        if (of) return fromService(of);
        return [
          ...serviceNames.flatMap(fromService),
          ...(gateway ? parseLines("gateway", gateway.lines()) : []),
          ...nginx.accessLog().map((r) => ({ ...r, source: "nginx" })),
        ];
      },
      stopInstance: async (service, index, signal = "SIGKILL") => {
        const instance = services[service][index];
        if (!instance) throw new Error(`no ${service} instance ${index}`);
        await instance.kill(signal);
      },
      restartInstance: async (service, index) => {
        const old = services[service][index];
        if (!old || (old.proc.exitCode === null && old.proc.signalCode === null))
          throw new Error(`${service} instance ${index} is not stopped`);
        await launch(service, slots.get(old)!);
        return services[service].length - 1;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
