import { expect, test } from "bun:test";
import {
  cpuSecondsOf,
  parseStat,
  parseStatus,
  processTree,
  readMemory,
  readStat,
} from "../src/stats/proc.ts";

test("parseStat counts fields after the command name, even with spaces and parentheses in it", () => {
  const line =
    "4242 (bun (worker) x) S 17 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 9 0 123 456789 2048 rest";
  expect(parseStat(line)).toEqual({ pid: 4242, ppid: 17, cpuSeconds: 3.25 });
});

test("parseStatus reads resident and peak resident memory in bytes", () => {
  const text = "Name:\tbun\nVmPeak:\t  900000 kB\nVmHWM:\t   81920 kB\nVmRSS:\t   40960 kB\nThreads:\t9\n";
  expect(parseStatus(text)).toEqual({ rssBytes: 40960 * 1024, peakRssBytes: 81920 * 1024 });
});

test("the live readers see this process and its child", async () => {
  const child = Bun.spawn(["sleep", "5"]);
  // Enough work for the kernel's 10 ms accounting ticks to see.
  const until = performance.now() + 60;
  while (performance.now() < until) Math.sqrt(Math.random());
  try {
    const self = readStat(process.pid);
    expect(self?.pid).toBe(process.pid);
    expect(self?.cpuSeconds).toBeGreaterThan(0);
    expect(readMemory(process.pid)?.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(processTree(process.pid)).toContain(child.pid);
    expect(cpuSecondsOf([process.pid, 999_999_999])).toBeGreaterThan(0);
  } finally {
    child.kill();
    await child.exited;
  }
  expect(readStat(999_999_999)).toBeUndefined();
});
