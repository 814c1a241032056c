/** Bun's server as the fetch handler sees it; only the socket peer is used. */
export type PeerSource = { requestIP(request: Request): { address: string } | null };

/** The configured proxies (`TRUSTED_PROXIES`), as a membership test on addresses. */
export type TrustedProxies = { trusts(address: string): boolean };

type Cidr = { bytes: Uint8Array; prefix: number };

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return Uint8Array.from(parts.map(Number));
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const out: number[] = [];
    const pieces = half.split(":");
    for (const [i, piece] of pieces.entries()) {
      // An embedded IPv4 tail (::ffff:127.0.0.1) fills the last two groups.
      if (i === pieces.length - 1 && piece.includes(".")) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) out.push(Number.parseInt(piece, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

const mappedPrefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/**
 * An address as bytes: 4 for IPv4, 16 for IPv6. IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what a dual-stack
 * socket reports for IPv4 clients) becomes its IPv4 form, so one client is one address either way.
 */
export function parseAddress(text: string): Uint8Array | undefined {
  const bare = text
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "");
  const bytes = bare.includes(":") ? parseIpv6(bare) : parseIpv4(bare);
  if (bytes?.length === 16 && mappedPrefix.every((b, i) => bytes[i] === b)) return bytes.slice(12);
  return bytes;
}

function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join(".");
  const groups = Array.from({ length: 8 }, (_, i) =>
    (((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number)).toString(16),
  );
  // RFC 5952: the longest run of two or more zero groups becomes `::`.
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = Math.max(i, j);
  }
  if (best.at < 0) return groups.join(":");
  return `${groups.slice(0, best.at).join(":")}::${groups.slice(best.at + best.length).join(":")}`;
}

/** The canonical text of an address (`::FFFF:127.0.0.1` → `127.0.0.1`, zeros compressed), or undefined. */
export function canonicalAddress(text: string): string | undefined {
  const bytes = parseAddress(text);
  return bytes && formatAddress(bytes);
}

function parseCidr(text: string): Cidr {
  const [address = "", prefixText, extra] = text.split("/");
  const bytes = parseAddress(address);
  const mappedIpv4 = bytes?.length === 4 && address.includes(":");
  const width = (bytes?.length ?? 0) * 8;
  let prefix = prefixText === undefined ? width : Number(prefixText);
  // `::ffff:10.0.0.0/104` is the IPv4 block 10.0.0.0/8.
  if (mappedIpv4 && prefixText !== undefined) prefix -= 96;
  if (!bytes || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > width) {
    throw new Error(`not an IPv4 or IPv6 CIDR: ${text}`);
  }
  return { bytes, prefix };
}

function inCidr(address: Uint8Array, cidr: Cidr): boolean {
  if (address.length !== cidr.bytes.length) return false;
  const whole = cidr.prefix >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[whole] as number) & mask) === ((cidr.bytes[whole] as number) & mask);
}

/** Builds the membership test from `TRUSTED_PROXIES` entries (already validated at start-up). */
export function trustedProxies(cidrs: readonly string[]): TrustedProxies {
  const blocks = cidrs.map(parseCidr);
  return {
    trusts(address) {
      const bytes = parseAddress(address);
      return bytes !== undefined && blocks.some((block) => inCidr(bytes, block));
    },
  };
}

/** The socket peer, canonical, and whether it is one of the trusted proxies. */
export type Peer = { address: string | undefined; trusted: boolean };

export function socketPeer(address: string | undefined, trusted: TrustedProxies): Peer {
  const canonical = address === undefined ? undefined : (canonicalAddress(address) ?? address);
  return { address: canonical, trusted: canonical !== undefined && trusted.trusts(canonical) };
}

/**
 * The client's address. The socket peer is the client unless it is a trusted proxy; then
 * X-Forwarded-For is walked from the right (each proxy appends the address it accepted), skipping
 * trusted hops, and the first untrusted hop is the client. Hops left of it were written by the
 * client and are never believed. A hop that is not an address stops the walk at the last good one.
 * X-Real-IP and Forwarded are not read: the proxies in front of the services set X-Forwarded-For.
 */
export function resolveClientAddress(
  request: Request,
  peer: string | undefined,
  trusted: TrustedProxies,
): string | undefined {
  const socket = socketPeer(peer, trusted);
  let client = socket.address;
  if (!socket.trusted) return client;
  const hops = request.headers.get("x-forwarded-for")?.split(",") ?? [];
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = canonicalAddress(hops[i] as string);
    if (hop === undefined) break;
    client = hop;
    if (!trusted.trusts(hop)) break;
  }
  return client;
}

/** The resolver a service uses: its trusted proxies bound, the peer taken from Bun's server. */
export function clientAddressResolver(cidrs: readonly string[]) {
  const trusted = trustedProxies(cidrs);
  return (request: Request, server: PeerSource | null): string | undefined =>
    resolveClientAddress(request, server?.requestIP(request)?.address, trusted);
}

/**
 * The block one party controls, for per-address limits: an IPv4 address itself, an IPv6 address
 * its /64 (the smallest block a subscriber is routinely given), so rotating within it gains nothing.
 */
export function addressBlock(address: string): string {
  const bytes = parseAddress(address);
  if (!bytes) return address;
  if (bytes.length === 4) return formatAddress(bytes);
  return `${formatAddress(Uint8Array.from([...bytes.slice(0, 8), ...Array<number>(8).fill(0)]))}/64`;
}
