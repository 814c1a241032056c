import { afterAll, expect, test } from "bun:test";
import { rmSync, utimesSync } from "node:fs";
import { join } from "node:path";
import {
  descendants,
  hangBoundMs,
  repoRoot,
  startDev,
  startedUp,
  waitForOutput,
  watchesDirectory,
} from "./dev-process.ts";

const dev = startDev({ DEV_WATCH: "true" });
afterAll(() => {
  if (dev.proc.exitCode === null) {
    for (const pid of descendants(dev.proc.pid)) process.kill(pid, "SIGKILL");
    dev.proc.kill("SIGKILL");
  }
  rmSync(dev.env.DEV_DATA_DIR!, { recursive: true, force: true });
});

test(
  "saving a gateway source file restarts the gateway, which then answers again",
  async () => {
    await waitForOutput(dev, "start-up", startedUp);
    const sources = join(repoRoot, "apps", "gateway", "src");
    // The watchers start before the ready table is printed, so the kernel already watches: save now.
    expect(watchesDirectory(dev.proc.pid, sources)).toBe(true);
    const from = dev.lines.length;
    const now = new Date();
    utimesSync(join(sources, "routes.ts"), now, now);

    // Other work saving in this checkout meanwhile may join this save's restart or add one, so the
    // test counts restarts after the save instead of expecting exactly one naming routes.ts.
    const after = (lines: string[], match: (l: string) => boolean) => lines.slice(from).filter(match).length;
    const restarts = (lines: string[]) => after(lines, (l) => l.includes("changed; restarting gateway"));
    const settled = (lines: string[]) =>
      after(lines, (l) => /gateway (is ready again|did not come back)/.test(l));
    await waitForOutput(
      dev,
      "the gateway restarted",
      (lines) => restarts(lines) > 0 && settled(lines) === restarts(lines),
    );
    expect(dev.lines.slice(from).filter((l) => l.includes("did not come back"))).toEqual([]);
    const res = await fetch(`${dev.gatewayUrl}/api/products?limit=1`);
    expect(res.status).toBe(200);
    // Each restart stopped the old gateway once (no second stop of one process, no stray restart).
    const gatewayStops = after(
      dev.lines,
      (l) => l.startsWith("[gateway]") && l.includes('"message":"stopped"'),
    );
    expect(gatewayStops).toBe(restarts(dev.lines));

    dev.proc.kill("SIGTERM");
    expect(await dev.proc.exited).toBe(0);
  },
  2 * hangBoundMs + 60_000,
);
