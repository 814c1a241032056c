import { readdirSync, readFileSync } from "node:fs";

/** Kernel clock ticks per second for /proc times; 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

export type ProcStat = { pid: number; ppid: number; cpuSeconds: number };
export type ProcMemory = { rssBytes: number; peakRssBytes: number };

/**
 * Parses /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses, so fields
 * are counted from the last ")": then ppid is field 4, utime 14 and stime 15.
 */
export function parseStat(text: string): ProcStat {
  const close = text.lastIndexOf(")");
  const pid = Number(text.slice(0, text.indexOf(" ")));
  const rest = text.slice(close + 2).split(" ");
  const field = (n: number) => Number(rest[n - 3]);
  return { pid, ppid: field(4), cpuSeconds: (field(14) + field(15)) / TICKS_PER_SECOND };
}

/** Parses VmRSS (resident now) and VmHWM (resident peak) from /proc/<pid>/status. */
export function parseStatus(text: string): ProcMemory {
  const kb = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kb("VmRSS"), peakRssBytes: kb("VmHWM") };
}

/** Undefined once the process is gone. */
export function readStat(pid: number): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

export function readMemory(pid: number): ProcMemory | undefined {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return undefined;
  }
}

/** The process and all its descendants (PostgreSQL's backends are children of the postmaster). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    const siblings = parents.get(stat.ppid) ?? [];
    siblings.push(pid);
    parents.set(stat.ppid, siblings);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(parents.get(pid) ?? []));
  }
  return tree;
}

/** Children of `parent` whose command line contains `needle` (finds the database servers we started). */
export function childrenMatching(parent: number, needle: string): number[] {
  return readdirSync("/proc")
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && readStat(pid)?.ppid === parent)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(needle);
      } catch {
        return false;
      }
    });
}

/** CPU seconds used so far by all these processes (gone ones count 0). */
export function cpuSecondsOf(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuSeconds ?? 0), 0);
}
