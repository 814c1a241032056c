import { expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { startDev } from "./dev-process.ts";

test("a port already in use → one line naming the port and the variable to set, nothing started", async () => {
  const squatter = Bun.listen({ hostname: "0.0.0.0", port: 0, socket: { data() {} } });
  const dev = startDev({ GATEWAY_PORT: String(squatter.port) });
  try {
    expect(await dev.proc.exited).toBe(1);
    await dev.output;
    const problems = dev.lines.filter((l) => l.includes("already in use"));
    expect(problems).toEqual([
      `Port ${squatter.port} (gateway) is already in use; stop what uses it or set GATEWAY_PORT to another port.`,
    ]);
    expect(dev.lines.some((l) => l.startsWith("[user]"))).toBe(false);
  } finally {
    squatter.stop(true);
    rmSync(dev.env.DEV_DATA_DIR!, { recursive: true, force: true });
  }
});
