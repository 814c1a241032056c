import { join } from "node:path";

/** The repository root: entries are absolute paths below it. */
export const repoRoot = join(import.meta.dir, "..", "..", "..");

/** The three services behind the public API, by their key in URLs and env: users, products, orders. */
export type ServiceKey = "users" | "products" | "orders";
/** Every process of the system: the services and the local gateway. */
export type ProcessKey = ServiceKey | "gateway";

export type ProcessSpec = {
  key: ProcessKey;
  /** Package folder under apps/, image `ecom/<name>`, Deployment and Service name in the cluster. */
  name: string;
  /** Short name for log prefixes. */
  label: string;
  /** Default port; also the container port in the cluster. */
  port: number;
  /** The variable `bun run dev` reads to move this process to another port. */
  devPortVariable: string;
  /** Absolute path of the process's entry file. */
  entry: string;
  /** Answers 200 once the process can serve requests (a service: its database reachable). */
  readyPath: string;
};

export type ServiceSpec = ProcessSpec & {
  key: ServiceKey;
  /** The public prefix routed to this service by the gateway, nginx and the Ingress. */
  publicPrefix: string;
  /** The variable through which other processes reach this service. */
  urlVariable: string;
};

const app = (name: string) => join(repoRoot, "apps", name, "src", "index.ts");

export const services = [
  {
    key: "users",
    name: "user-service",
    label: "user",
    port: 3001,
    devPortVariable: "USER_PORT",
    entry: app("user-service"),
    readyPath: "/health/ready",
    publicPrefix: "/api/users",
    urlVariable: "USER_SERVICE_URL",
  },
  {
    key: "products",
    name: "product-service",
    label: "product",
    port: 3002,
    devPortVariable: "PRODUCT_PORT",
    entry: app("product-service"),
    readyPath: "/health/ready",
    publicPrefix: "/api/products",
    urlVariable: "PRODUCT_SERVICE_URL",
  },
  {
    key: "orders",
    name: "order-service",
    label: "order",
    port: 3003,
    devPortVariable: "ORDER_PORT",
    entry: app("order-service"),
    readyPath: "/health/ready",
    publicPrefix: "/api/orders",
    urlVariable: "ORDER_SERVICE_URL",
  },
] as const satisfies readonly ServiceSpec[];

/** The name of a service: `user-service`, `product-service`, `order-service`. */
export type ServiceName = (typeof services)[number]["name"];

export const gateway: ProcessSpec = {
  key: "gateway",
  name: "gateway",
  label: "gateway",
  port: 8080,
  devPortVariable: "GATEWAY_PORT",
  entry: app("gateway"),
  readyPath: "/health/live",
};

/** The path of the user service's public keys, which every token verifier fetches. */
export const jwksPath = "/api/users/.well-known/jwks.json";

export function service(key: ServiceKey): ServiceSpec {
  const found = services.find((s: ServiceSpec) => s.key === key);
  if (!found) throw new Error(`no service ${key}`);
  return found;
}

/**
 * What connects a process to the others, given where each service is reached: which of the
 * `*_SERVICE_URL` variables and `JWKS_URL` it reads. One place, so a new dependency between
 * services is added here and every way of running the system gets it.
 */
export function connectionEnv(key: ProcessKey, urls: Record<ServiceKey, string>): Record<string, string> {
  const jwks = { JWKS_URL: `${urls.users}${jwksPath}` };
  const urlOf = (k: ServiceKey) => ({ [service(k).urlVariable]: urls[k] });
  switch (key) {
    case "users":
      return {};
    case "products":
      return jwks;
    case "orders":
      return { ...jwks, ...urlOf("users"), ...urlOf("products") };
    case "gateway":
      return { ...urlOf("users"), ...urlOf("products"), ...urlOf("orders") };
  }
}
