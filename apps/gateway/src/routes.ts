import { type ServiceKey, services } from "@ecom/system";

/** One public prefix per service; the path is passed on unchanged (the services own their prefix). */
export type Upstream = { name: ServiceKey; service: string; prefix: string; baseUrl: string };

export type UpstreamUrls = Record<ServiceKey, string>;

/** The routing table of the system description, so nginx, the Ingress and the gateway cannot drift apart. */
export function upstreamTable(urls: UpstreamUrls): Upstream[] {
  return services.map((s) => ({
    name: s.key,
    service: s.name,
    prefix: s.publicPrefix,
    baseUrl: urls[s.key],
  }));
}

/** `/api/users` and `/api/users/...` match; `/api/usersX`, `/trpc/...` and `/metrics` do not. */
export function matchUpstream(table: Upstream[], pathname: string): Upstream | undefined {
  return table.find((u) => pathname === u.prefix || pathname.startsWith(`${u.prefix}/`));
}
