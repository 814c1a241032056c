import { type ServiceName, services } from "@ecom/system";

export type { ServiceName };

/**
 * The deployables: image `ecom/<name>`, Dockerfile `apps/<name>/Dockerfile`, Deployment `<name>`.
 * Taken from the system description, so ports and public paths are stated once.
 */
export const SERVICES: readonly { name: ServiceName; port: number; apiPath: string }[] = services.map(
  (s) => ({ name: s.name, port: s.port, apiPath: s.publicPrefix }),
);

export function isServiceName(name: string): name is ServiceName {
  return SERVICES.some((s) => s.name === name);
}

/** `<ECOM_REGISTRY>/ecom/<service>`, or the bare local name when no registry is set. */
export function imageRepository(service: ServiceName, registry: string | undefined): string {
  const base = `ecom/${service}`;
  return registry ? `${registry.replace(/\/+$/, "")}/${base}` : base;
}
