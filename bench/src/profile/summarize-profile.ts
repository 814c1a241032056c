import { readFileSync } from "node:fs";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  totalMs: number;
  /** Functions by the time spent in their own code. */
  self: { name: string; ms: number; share: number }[];
  /** Functions by the time spent in them and everything they called. */
  inclusive: { name: string; ms: number; share: number }[];
};

const repoRoot = `${import.meta.dir.split("/bench/")[0]}/`;
const label = (f: CallFrame) =>
  `${f.functionName || "(anonymous)"} ${f.url
    .replace("file://", "")
    .replace(repoRoot, "")
    .replace(/.*node_modules\//, "~/")}:${f.lineNumber + 1}`;

/** Reads a Chrome-format .cpuprofile (what `bun --cpu-prof` writes) into self and inclusive top lists. */
export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMs = new Map<string, number>();
  const inclusiveMs = new Map<string, number>();
  // Bun's profiles have no idle node: the sample after an idle stretch carries the whole gap. Capping
  // every delta at twice the typical interval keeps idle time out of the figures.
  const sorted = [...profile.timeDeltas].sort((a, b) => a - b);
  const cap = 2 * (sorted[Math.floor(sorted.length / 2)] ?? 1000);
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = Math.min(profile.timeDeltas[i] ?? 0, cap) / 1000;
    totalMs += ms;
    const node = byId.get(id);
    if (!node) return;
    const name = label(node.callFrame);
    selfMs.set(name, (selfMs.get(name) ?? 0) + ms);
    // Each function once per sample, however deep its recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame) break;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveMs.set(key, (inclusiveMs.get(key) ?? 0) + ms);
    }
  });
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: totalMs ? ms / totalMs : 0 }));
  return { totalMs, self: rank(selfMs), inclusive: rank(inclusiveMs) };
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write("usage: bun bench/src/profile/summarize-profile.ts <file.cpuprofile> [top]\n");
    process.exit(2);
  }
  const summary = summarizeProfile(JSON.parse(readFileSync(file, "utf8")), Number(process.argv[3] ?? 25));
  const print = (title: string, rows: ProfileSummary["self"]) => {
    process.stdout.write(`${title}\n`);
    for (const r of rows)
      process.stdout.write(
        `${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}\n`,
      );
  };
  process.stdout.write(`total sampled ${summary.totalMs.toFixed(0)} ms\n`);
  print("\nself time", summary.self);
  print("\ninclusive time", summary.inclusive);
}
