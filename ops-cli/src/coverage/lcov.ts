export interface FileCoverage {
  file: string;
  found: number;
  hit: number;
  percent: number;
  /** Hits per line (from DA records), so runs of several suites can be merged line by line. */
  lines: Map<number, number>;
}

/** Line coverage per source file from an lcov report (LF/LH, or counted from DA lines when absent). */
export function parseLcov(text: string): FileCoverage[] {
  const files: FileCoverage[] = [];
  for (const record of text.split("end_of_record")) {
    const entries = record.split("\n").map((l) => l.trim());
    const file = entries.find((l) => l.startsWith("SF:"))?.slice(3);
    if (!file) continue;
    const lines = new Map<number, number>();
    for (const entry of entries.filter((l) => l.startsWith("DA:"))) {
      const [line, count] = entry.slice(3).split(",").map(Number);
      if (line !== undefined && count !== undefined) lines.set(line, count);
    }
    const lf = entries.find((l) => l.startsWith("LF:"));
    const lh = entries.find((l) => l.startsWith("LH:"));
    const found = lf ? Number(lf.slice(3)) : lines.size;
    const hit = lh ? Number(lh.slice(3)) : [...lines.values()].filter((count) => count > 0).length;
    files.push(withPercent({ file, found, hit, lines }));
  }
  return files;
}

function withPercent(f: Omit<FileCoverage, "percent">): FileCoverage {
  return { ...f, percent: f.found === 0 ? 100 : (f.hit / f.found) * 100 };
}

/** A line counts as covered when any suite ran it. */
export function mergeCoverage(reports: FileCoverage[][]): FileCoverage[] {
  const byFile = new Map<string, FileCoverage>();
  for (const f of reports.flat()) {
    const seen = byFile.get(f.file);
    if (!seen) {
      byFile.set(f.file, f);
      continue;
    }
    if (seen.lines.size === 0 || f.lines.size === 0) {
      byFile.set(f.file, seen.hit / Math.max(seen.found, 1) >= f.hit / Math.max(f.found, 1) ? seen : f);
      continue;
    }
    const lines = new Map(seen.lines);
    for (const [line, count] of f.lines) lines.set(line, Math.max(lines.get(line) ?? 0, count));
    const hit = [...lines.values()].filter((count) => count > 0).length;
    byFile.set(f.file, withPercent({ file: f.file, found: lines.size, hit, lines }));
  }
  return [...byFile.values()];
}

export interface CoverageVerdict {
  total: number;
  /** Judged files below the threshold, lowest first. */
  below: FileCoverage[];
  ok: boolean;
}

// The gate covers what ships: the services and the shared packages. Test files would flatter the total,
// and ops-cli is exercised as a separate process, which in-process coverage cannot see.
const isJudged = (file: string) =>
  /^(apps|packages)\//.test(file) && !/(^|\/)(test|tests)\/|\.test\.ts$|node_modules\//.test(file);

/** Fails when the total is under the threshold, or (perFile) when any single file is. */
export function judgeCoverage(files: FileCoverage[], threshold: number, perFile = false): CoverageVerdict {
  const judged = files.filter((f) => isJudged(f.file));
  const found = judged.reduce((sum, f) => sum + f.found, 0);
  const hit = judged.reduce((sum, f) => sum + f.hit, 0);
  const total = found === 0 ? 100 : (hit / found) * 100;
  const below = judged.filter((f) => f.percent < threshold).sort((a, b) => a.percent - b.percent);
  return { total, below, ok: total >= threshold && !(perFile && below.length > 0) };
}
