type IpSource = { requestIP(request: Request): { address: string } | null };

/**
 * The address the login limit is keyed on. Trust assumption: in every deployment this service is
 * reached only through the gateway (NGINX ingress, or the local gateway), which sets
 * X-Forwarded-For from the connecting address, so its first hop is the real client. A caller that
 * could reach the service directly could forge the header; the network policy prevents that.
 * Without the header (direct local calls), the socket's peer address is used.
 */
export function clientIp(request: Request, server: IpSource | null): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  if (forwarded) return forwarded;
  return server?.requestIP(request)?.address ?? "unknown";
}
