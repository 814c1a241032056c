import type { Finding, Severity } from "./findings.ts";

const level: Record<Severity, "note" | "warning" | "error"> = {
  LOW: "note",
  MEDIUM: "warning",
  HIGH: "error",
  CRITICAL: "error",
};

// GitHub code scanning ranks results by this property (0-10).
const securitySeverity: Record<Severity, string> = {
  LOW: "2.0",
  MEDIUM: "5.0",
  HIGH: "8.0",
  CRITICAL: "9.5",
};

/** SARIF 2.1.0 with one run per scanner, so code-scanning UIs attribute each result to its tool. */
export function toSarif(scanners: string[], findings: Finding[]): object {
  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: scanners.map((scanner) => {
      const own = findings.filter((f) => f.scanner === scanner);
      const rules = [...new Map(own.map((f) => [f.ruleId, f])).values()].map((f) => ({
        id: f.ruleId,
        shortDescription: { text: f.message.slice(0, 200) },
        properties: { "security-severity": securitySeverity[f.severity] },
      }));
      return {
        tool: { driver: { name: scanner, rules } },
        results: own.map((f) => ({
          ruleId: f.ruleId,
          level: level[f.severity],
          message: { text: `[${f.severity}] ${f.message}` },
          locations: f.path
            ? [
                {
                  physicalLocation: {
                    artifactLocation: { uri: f.path },
                    ...(f.line ? { region: { startLine: f.line } } : {}),
                  },
                },
              ]
            : [],
        })),
      };
    }),
  };
}
