type IpSource = { requestIP(request: Request): { address: string } | null };

/**
 * The address the login limit is keyed on.
 *
 * Trust assumption: in every deployment this service is reached only through one proxy (the NGINX
 * ingress, or the local gateway), and that proxy appends the address it accepted the connection
 * from to X-Forwarded-For. So the last hop is the one the proxy vouches for; earlier hops come from
 * the client and could be forged to dodge the limit, so they are ignored. Without the header
 * (direct local calls) the socket's peer address is used. A caller that could reach the service
 * directly, bypassing the proxy, could still forge the header; the network policy prevents that.
 */
export function clientIp(request: Request, server: IpSource | null): string {
  const lastHop = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  if (lastHop) return lastHop;
  return server?.requestIP(request)?.address ?? "unknown";
}
