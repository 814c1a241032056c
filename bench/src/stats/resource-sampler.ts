import { readMemory, readStat } from "./proc.ts";

/** Named groups of processes to watch: one service each, plus the databases and the load generator. */
export type ProcessGroups = Record<string, () => number[]>;

export type ResourceUsage = {
  /** CPU seconds each group used during the window. */
  cpuSeconds: Record<string, number>;
  /** Highest resident set seen per group (sum over its processes), in bytes. */
  peakRssBytes: Record<string, number>;
};

/**
 * Measures one window: CPU from /proc/<pid>/stat at both ends, resident memory sampled every
 * `intervalMs` from /proc/<pid>/status. A process that exits inside the window loses its share;
 * the services and databases live for the whole run, so that only touches short-lived helpers.
 */
export function startWindow(groups: ProcessGroups, intervalMs = 100) {
  const cpuAtStart = new Map<number, number>();
  const peaks: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    peaks[name] = 0;
    for (const pid of pids()) cpuAtStart.set(pid, readStat(pid)?.cpuSeconds ?? 0);
  }
  const sample = () => {
    for (const [name, pids] of Object.entries(groups)) {
      const rss = pids().reduce((sum, pid) => sum + (readMemory(pid)?.rssBytes ?? 0), 0);
      peaks[name] = Math.max(peaks[name] ?? 0, rss);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop(): ResourceUsage {
      clearInterval(timer);
      sample();
      const cpuSeconds: Record<string, number> = {};
      for (const [name, pids] of Object.entries(groups)) {
        cpuSeconds[name] = pids().reduce((sum, pid) => {
          const now = readStat(pid)?.cpuSeconds;
          return now === undefined ? sum : sum + Math.max(0, now - (cpuAtStart.get(pid) ?? 0));
        }, 0);
      }
      return { cpuSeconds, peakRssBytes: { ...peaks } };
    },
  };
}
