export const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  /** The scanner that reported it: bun-audit, trivy-fs, trivy-config, trivy-image, semgrep. */
  scanner: string;
  ruleId: string;
  severity: Severity;
  message: string;
  path?: string;
  line?: number;
}

export function parseSeverity(value: string): Severity | null {
  const upper = value.toUpperCase();
  if (upper === "MODERATE") return "MEDIUM";
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : null;
}

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}
