/** An answer read off the socket: status, lower-cased headers, body as text. */
export type RawResponse = { status: number; headers: Record<string, string>; body: string };

/**
 * Sends `request` byte for byte on a new connection (TLS without verification when `tls`), reads
 * until the server closes, and parses the answer: for what fetch refuses to send (no Host, a broken
 * request line, HTTP/1.0). The request should carry `Connection: close` unless the server closes anyway.
 */
export async function rawRequest(
  port: number,
  request: string,
  options: { tls?: boolean } = {},
): Promise<RawResponse> {
  const chunks: Buffer[] = [];
  const closed = Promise.withResolvers<void>();
  await Bun.connect({
    hostname: "127.0.0.1",
    port,
    ...(options.tls ? { tls: { rejectUnauthorized: false } } : {}),
    socket: {
      open: (socket) => void socket.write(request),
      data: (_socket, data) => void chunks.push(Buffer.from(data)),
      close: () => closed.resolve(),
      error: (_socket, error) => closed.reject(error),
    },
  });
  await closed.promise;
  const text = Buffer.concat(chunks).toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`no complete HTTP response:\n${text}`);
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body: text.slice(end + 4) };
}
