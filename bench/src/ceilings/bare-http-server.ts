import { readFileSync } from "node:fs";

/**
 * HTTP ceiling: a bare Bun.serve answering every request with the same JSON a product GET returns.
 * No routing, validation, logging or database: what one Bun process can serve at most here.
 * Argument: {"port": N, "bodyFile": path}. Prints "ready" once listening.
 */
const { port, bodyFile } = JSON.parse(process.argv[2] ?? "{}") as { port: number; bodyFile: string };
const body = readFileSync(bodyFile);
const server = Bun.serve({
  hostname: "127.0.0.1",
  port,
  fetch: () => new Response(body, { headers: { "content-type": "application/json" } }),
});
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  server.stop(true);
  process.exit(0);
});
