import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { freePort, startServiceProcess } from "@ecom/test-harness";

const entry = join(import.meta.dir, "..", "src", "index.ts");

describe("the gateway process", () => {
  test("boots from the environment, logs JSON, and exits 0 on SIGTERM", async () => {
    const gateway = await startServiceProcess({ entry, port: freePort(), env: { HOST: "127.0.0.1" } });
    const res = await fetch(`${gateway.baseUrl}/trpc/anything`);
    expect(res.status).toBe(404);
    expect(await gateway.kill("SIGTERM")).toBe(0);
    const messages = gateway.lines().map((l) => JSON.parse(l).message);
    expect(messages).toEqual(["listening", "GET /trpc/anything 404", "shutting down", "stopped"]);
  });

  test("a taken port → one line naming it and the variable to set, exit 1", async () => {
    const squatter = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const proc = Bun.spawn(["bun", entry], {
      env: { ...process.env, PORT: String(squatter.port), HOST: "127.0.0.1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    expect(await new Response(proc.stderr).text()).toBe(
      `Port ${squatter.port} is already in use; stop what uses it or set PORT to another port.\n`,
    );
    squatter.stop(true);
  });

  test("a bad setting → one line naming the variable, exit 1", async () => {
    const proc = Bun.spawn(["bun", entry], {
      env: { ...process.env, GATEWAY_UPSTREAM_TIMEOUT_MS: "soon" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    expect(await new Response(proc.stderr).text()).toStartWith(
      "Invalid environment variable GATEWAY_UPSTREAM_TIMEOUT_MS",
    );
  });
});
