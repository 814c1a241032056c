import type { Peer } from "@ecom/request-guard";

/** Headers that describe one hop only (RFC 9110 §7.6.1) and must not be passed on. */
const hopByHop = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

export function withoutHopByHop(source: Headers): Headers {
  const headers = new Headers(source);
  for (const name of source.get("connection")?.split(",") ?? []) headers.delete(name.trim());
  for (const name of hopByHop) headers.delete(name);
  return headers;
}

/** Forwarding headers a client could forge; believed only when a trusted proxy sent them. */
const forwardingHeaders = ["x-forwarded-for", "x-real-ip", "forwarded"];

/**
 * What the service sees: the caller's headers, the request id, and x-forwarded-* describing the
 * original request. A trusted proxy's x-forwarded-for chain is extended, as every proxy does; from
 * anyone else the forwarding headers are dropped and the chain starts at the peer, so a client
 * cannot pick the address the services key their limits on.
 */
export function upstreamHeaders(request: Request, info: { requestId: string; peer: Peer }): Headers {
  const url = new URL(request.url);
  const headers = withoutHopByHop(request.headers);
  // fetch sets Host from the upstream URL; the original host travels in x-forwarded-host.
  headers.delete("host");
  headers.set("x-request-id", info.requestId);
  const chain = info.peer.trusted ? request.headers.get("x-forwarded-for") : null;
  if (!info.peer.trusted) for (const name of forwardingHeaders) headers.delete(name);
  const { address } = info.peer;
  if (address) headers.set("x-forwarded-for", chain ? `${chain}, ${address}` : address);
  // The gateway is the edge in local runs, so proto and host are what it saw, not what a caller claims.
  headers.set("x-forwarded-proto", url.protocol.replace(":", ""));
  headers.set("x-forwarded-host", request.headers.get("host") ?? url.host);
  return headers;
}
