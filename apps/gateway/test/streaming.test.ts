import { afterAll, describe, expect, test } from "bun:test";
import { startGateway } from "./gateway-harness.ts";

// Sends the first chunk at once and the second only after a pause, so a buffering proxy would be seen.
const chunked = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(request) {
    if (request.method === "POST") {
      const received = await request.arrayBuffer();
      return Response.json({ bytes: received.byteLength });
    }
    const encoder = new TextEncoder();
    const body = new ReadableStream({
      async start(controller) {
        controller.enqueue(encoder.encode("first\n"));
        await Bun.sleep(400);
        controller.enqueue(encoder.encode("second\n"));
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  },
});
const upstream = `http://127.0.0.1:${chunked.port}`;
const gateway = startGateway({ users: upstream, products: upstream, orders: upstream });
afterAll(() => {
  gateway.stop();
  chunked.stop(true);
});

describe("bodies stream through", () => {
  test("the first chunk of a response arrives before the service has finished", async () => {
    const started = performance.now();
    const res = await fetch(`${gateway.url}/api/products/export`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first\n");
    expect(performance.now() - started).toBeLessThan(350);
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toBe("second\n");
  });

  test("a large request body reaches the service whole", async () => {
    const body = new TextEncoder().encode(JSON.stringify("x".repeat(1000 * 1024)));
    const res = await fetch(`${gateway.url}/api/products/import`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(await res.json()).toEqual({ bytes: body.byteLength });
  });

  test("a body over the limit is a 413 in the error shape, and the service never sees it", async () => {
    const body = new Uint8Array(3 * 1024 * 1024).fill(0x20);
    const res = await fetch(`${gateway.url}/api/products/import`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "big-1" },
      body,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("x-request-id")).toBe("big-1");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
  });
});
