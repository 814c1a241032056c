/** Real HTTP servers standing in for service instances; each records the requests it answered. */
export function startInstance(handler?: (request: Request) => Response | Promise<Response>) {
  const seen: { method: string; path: string; headers: Headers }[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      seen.push({ method: request.method, path: url.pathname + url.search, headers: request.headers });
      return handler ? handler(request) : Response.json({ path: url.pathname });
    },
  });
  return { address: `127.0.0.1:${server.port}`, seen, stop: () => server.stop(true) };
}

/** An instance that accepts the connection, reads the request, then drops it without an answer. */
export function startDroppingInstance() {
  let requests = 0;
  const listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket) {
        requests += 1;
        socket.terminate();
      },
    },
  });
  return { address: `127.0.0.1:${listener.port}`, requests: () => requests, stop: () => listener.stop(true) };
}

/** A loopback address with nothing listening: connecting is refused. */
export function closedAddress(): string {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const address = `127.0.0.1:${probe.port}`;
  probe.stop(true);
  return address;
}

/** nginx's certificate is self-signed and made at start time, so the client must not verify it. */
export const insecure = { tls: { rejectUnauthorized: false } } as RequestInit;

export function httpsFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, ...insecure });
}
