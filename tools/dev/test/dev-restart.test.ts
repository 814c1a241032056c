import { afterAll, expect, test } from "bun:test";
import { rmSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { descendants, repoRoot, startDev } from "./dev-process.ts";

const dev = startDev({ DEV_WATCH: "true" });
afterAll(() => {
  if (dev.proc.exitCode === null) {
    for (const pid of descendants(dev.proc.pid)) process.kill(pid, "SIGKILL");
    dev.proc.kill("SIGKILL");
  }
  rmSync(dev.env.DEV_DATA_DIR!, { recursive: true, force: true });
});

async function waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!dev.lines.some(match)) {
    if (dev.proc.exitCode !== null) throw new Error(`bun run dev exited:\n${dev.lines.join("\n")}`);
    if (Date.now() > deadline)
      throw new Error(`no such line within ${timeoutMs} ms:\n${dev.lines.join("\n")}`);
    await Bun.sleep(100);
  }
}

test("saving a gateway source file restarts the gateway, which then answers again", async () => {
  await waitForLine((l) => l.includes("Admin login:"), 170_000);
  const source = join(repoRoot, "apps", "gateway", "src", "routes.ts");
  const now = new Date();
  utimesSync(source, now, now);
  await waitForLine((l) => l.includes(`${source} changed; restarting gateway`), 10_000);
  await waitForLine((l) => l.includes("gateway is ready again"), 30_000);
  const res = await fetch(`${dev.gatewayUrl}/api/products?limit=1`);
  expect(res.status).toBe(200);
  const gatewayStops = dev.lines.filter(
    (l) => l.startsWith("[gateway]") && l.includes('"message":"stopped"'),
  );
  expect(gatewayStops).toHaveLength(1);

  dev.proc.kill("SIGTERM");
  expect(await dev.proc.exited).toBe(0);
}, 240_000);
