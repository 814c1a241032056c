/**
 * A tiny HTTP proxy in front of the product service that misbehaves on one path on request, like a
 * network fault: "hold" keeps the call until `release()` is called, then forwards it; "hold-answer"
 * forwards it at once (so the stock really moves) and keeps the answer until `release()`;
 * "lose-answer" forwards it but never answers, so the caller times out.
 */
export function startFaultProxy(target: string, faultyPath = "/trpc/reserve") {
  let mode: "pass" | "hold" | "hold-answer" | "lose-answer" = "pass";
  let openGate: () => void = () => {};
  let gate = Promise.resolve();
  let arrived: () => void = () => {};
  let arrival = Promise.resolve();

  // A target that is down shows through as a bad gateway, as it would behind a real proxy.
  const forward = (req: Request, url: URL, body: ArrayBuffer | undefined) =>
    fetch(`${target}${url.pathname}${url.search}`, {
      method: req.method,
      headers: req.headers,
      ...(body === undefined ? {} : { body }),
    }).catch(() => new Response(null, { status: 502 }));
  const untilCallerGivesUp = (req: Request) =>
    new Promise<Response>((resolve) =>
      req.signal.addEventListener("abort", () => resolve(new Response(null, { status: 504 }))),
    );

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 60,
    async fetch(req) {
      const url = new URL(req.url);
      // Read before any holding, so a held call still lands after its caller died.
      const body = req.method === "GET" ? undefined : await req.arrayBuffer();
      if (url.pathname !== faultyPath || mode === "pass") return forward(req, url, body);
      if (mode === "hold") {
        arrived();
        await gate;
        return forward(req, url, body);
      }
      if (mode === "hold-answer") {
        const answer = await forward(req, url, body);
        const answerBody = await answer.arrayBuffer();
        arrived();
        await gate;
        return new Response(answerBody, { status: answer.status, headers: answer.headers });
      }
      arrived();
      const answer = await forward(req, url, body);
      await answer.arrayBuffer();
      return untilCallerGivesUp(req);
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    setMode(next: typeof mode) {
      mode = next;
      gate = new Promise((resolve) => {
        openGate = resolve;
      });
      arrival = new Promise((resolve) => {
        arrived = resolve;
      });
    },
    /** Resolves once a call reached the faulty path ("hold-answer": once the target has answered it). */
    arrived: () => arrival,
    release: () => openGate(),
    stop: () => server.stop(true),
  };
}
