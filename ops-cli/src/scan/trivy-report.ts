import { type Finding, parseSeverity } from "./findings.ts";

interface TrivyResult {
  Target?: string;
  Vulnerabilities?: {
    VulnerabilityID: string;
    PkgName?: string;
    InstalledVersion?: string;
    Title?: string;
    Severity: string;
  }[];
  Secrets?: { RuleID: string; Title?: string; Severity: string; StartLine?: number }[];
  Misconfigurations?: {
    ID?: string;
    AVDID?: string;
    Title?: string;
    Message?: string;
    Severity: string;
    Status?: string;
    CauseMetadata?: { StartLine?: number };
  }[];
}

/** Findings from Trivy's JSON report (fs, config or image): vulnerabilities, secrets, failed config checks. */
export function parseTrivyReport(json: string, scanner: string): Finding[] {
  const report = JSON.parse(json || "{}") as { Results?: TrivyResult[] };
  return (report.Results ?? []).flatMap((result) => {
    const path = result.Target;
    const at = (line?: number) => ({ ...(path ? { path } : {}), ...(line ? { line } : {}) });
    const vulns = (result.Vulnerabilities ?? []).map((v) => ({
      scanner,
      ruleId: v.VulnerabilityID,
      severity: parseSeverity(v.Severity) ?? "LOW",
      message:
        `${v.PkgName ?? "package"} ${v.InstalledVersion ?? ""}: ${v.Title ?? v.VulnerabilityID}`.trim(),
      ...at(),
    }));
    const secrets = (result.Secrets ?? []).map((s) => ({
      scanner,
      ruleId: s.RuleID,
      severity: parseSeverity(s.Severity) ?? "LOW",
      message: `secret: ${s.Title ?? s.RuleID}`,
      ...at(s.StartLine),
    }));
    const misconfigs = (result.Misconfigurations ?? [])
      .filter((m) => m.Status === undefined || m.Status === "FAIL")
      .map((m) => ({
        scanner,
        ruleId: m.AVDID ?? m.ID ?? "misconfiguration",
        severity: parseSeverity(m.Severity) ?? "LOW",
        message: m.Message ?? m.Title ?? "misconfiguration",
        ...at(m.CauseMetadata?.StartLine),
      }));
    return [...vulns, ...secrets, ...misconfigs];
  });
}
