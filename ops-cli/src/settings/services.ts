/** The deployables: image `ecom/<name>`, Dockerfile `apps/<name>/Dockerfile`, Deployment `<name>`. */
export const SERVICES = [
  { name: "user-service", port: 3001, apiPath: "/api/users" },
  { name: "product-service", port: 3002, apiPath: "/api/products" },
  { name: "order-service", port: 3003, apiPath: "/api/orders" },
] as const;

export type ServiceName = (typeof SERVICES)[number]["name"];

export function isServiceName(name: string): name is ServiceName {
  return SERVICES.some((s) => s.name === name);
}

/** `<ECOM_REGISTRY>/ecom/<service>`, or the bare local name when no registry is set. */
export function imageRepository(service: ServiceName, registry: string | undefined): string {
  const base = `ecom/${service}`;
  return registry ? `${registry.replace(/\/+$/, "")}/${base}` : base;
}
