import { type Finding, parseSeverity } from "./findings.ts";

interface Advisory {
  id?: number | string;
  title?: string;
  severity?: string;
  url?: string;
  vulnerable_versions?: string;
}

/**
 * `bun audit --json` prints advisories keyed by package name. Anything else (an HTTP error from the
 * advisory endpoint, no JSON at all) means the audit could not run: null, never "no findings".
 */
export function parseAuditReport(stdout: string): Finding[] | null {
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    return null;
  }
  if (typeof report !== "object" || report === null || Array.isArray(report)) return null;
  return Object.entries(report as Record<string, unknown>).flatMap(([pkg, advisories]) =>
    Array.isArray(advisories)
      ? (advisories as Advisory[]).map((a) => ({
          scanner: "bun-audit",
          ruleId: String(a.id ?? a.url ?? pkg),
          severity: parseSeverity(a.severity ?? "") ?? "LOW",
          message: `${pkg} ${a.vulnerable_versions ?? ""}: ${a.title ?? "advisory"}`.replace(/\s+:/, ":"),
          path: "bun.lock",
        }))
      : [],
  );
}
