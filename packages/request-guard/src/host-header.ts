// RFC 3986 authority as HTTP uses it (RFC 9110 §7.2): a registered name, IPv4 or bracketed IPv6
// literal, and an optional port. No userinfo, no percent-encoding, no spaces.
const regName =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const ipv6Literal = /^\[[0-9A-Fa-f:.]{2,45}(?:%25[A-Za-z0-9._~-]+)?\]$/;
const port = /^[0-9]{1,5}$/;

/** Whether a Host header value names a valid authority; anything else is a 400 before routing. */
export function isValidHost(host: string | null): boolean {
  if (!host || host.length > 260) return false;
  let name = host;
  const colon = host.lastIndexOf(":");
  if (colon !== -1 && !host.endsWith("]")) {
    const portText = host.slice(colon + 1);
    if (!port.test(portText) || Number(portText) > 65535) return false;
    name = host.slice(0, colon);
  }
  if (name.startsWith("[")) return ipv6Literal.test(name);
  return regName.test(name);
}
