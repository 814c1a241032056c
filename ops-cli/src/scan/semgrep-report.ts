import type { Finding, Severity } from "./findings.ts";

interface SemgrepResult {
  check_id: string;
  path: string;
  start?: { line?: number };
  extra?: { message?: string; severity?: string };
}

const severityOf: Record<string, Severity> = { ERROR: "HIGH", WARNING: "MEDIUM", INFO: "LOW" };

export function parseSemgrepReport(json: string): { findings: Finding[]; errors: string[] } {
  const report = JSON.parse(json || "{}") as { results?: SemgrepResult[]; errors?: { message?: string }[] };
  const findings = (report.results ?? []).map((r) => ({
    scanner: "semgrep",
    // Rule ids come prefixed with the config path; the last segment is the rule's own id.
    ruleId: r.check_id.split(".").pop() ?? r.check_id,
    severity: severityOf[r.extra?.severity ?? ""] ?? "MEDIUM",
    message: r.extra?.message?.trim() ?? r.check_id,
    path: r.path,
    ...(r.start?.line ? { line: r.start.line } : {}),
  }));
  return { findings, errors: (report.errors ?? []).map((e) => e.message ?? "semgrep error") };
}
