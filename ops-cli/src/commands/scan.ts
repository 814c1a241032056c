import { join } from "node:path";
import { Command, Option } from "clipanion";
import { CheckFailed, UsageFailure } from "../failures.ts";
import type { Ops } from "../ops.ts";
import { atOrAbove, type Finding, parseSeverity, SEVERITIES, type Severity } from "../scan/findings.ts";
import { toSarif } from "../scan/sarif.ts";
import {
  ALL_SCANNERS,
  audit,
  type Scanner,
  type ScannerOutcome,
  type ScanSettings,
} from "../scan/scanners.ts";
import { resolveTag } from "../vcs/git.ts";
import { OpsCommand } from "./ops-command.ts";

export class ScanCommand extends OpsCommand {
  static override paths = [["scan"]];
  static override usage = Command.Usage({
    category: "Verify",
    description: "Security scans: dependency audit, Trivy (files, secrets, config, images) and Semgrep SAST",
    details: `
      Runs every scanner, writes \`scan.json\` and \`scan.sarif\` (plus each tool's raw JSON) to the reports folder, and
      exits 1 when a finding is at or above the severity threshold, or when a scanner could not run. When the
      advisory database cannot be reached, the dependency audit reports "audit unavailable" and fails the scan
      unless \`--skip-audit\` is given. Images \`<registry>/ecom/<service>:<tag>\` are scanned when built locally.
    `,
    examples: [
      ["Scan and fail on HIGH or CRITICAL findings", "$0 scan"],
      ["Fail on MEDIUM too, reports elsewhere", "$0 scan --severity MEDIUM --reports-dir out/security"],
      ["Where the advisory database is unreachable", "$0 scan --skip-audit"],
    ],
  });

  severity = Option.String("--severity,--severity-threshold", "HIGH", {
    description: `Threshold: ${SEVERITIES.join(", ")}`,
  });
  reportsDir = Option.String("--reports-dir", "reports/scan", {
    description: "Where the reports are written",
  });
  tag = Option.String("--tag", { description: "Image tag to scan (default: the short git SHA of HEAD)" });
  skipAudit = Option.Boolean("--skip-audit", false, { description: "Do not run the dependency audit" });

  protected summaryTitle(): string {
    return "ecom scan";
  }

  protected async run(ops: Ops): Promise<void> {
    const threshold = parseSeverity(this.severity);
    if (!threshold) throw new UsageFailure(`--severity must be one of ${SEVERITIES.join(", ")}`);
    const settings: ScanSettings = {
      reportsDir: join(ops.root, this.reportsDir),
      tag: await resolveTag(ops, this.tag),
    };
    const outcomes: ScannerOutcome[] = [];
    for (const scanner of ALL_SCANNERS) {
      if (this.skipAudit && scanner === audit) {
        ops.reporter.skip(scanner.title, "--skip-audit");
        outcomes.push({
          scanner: scanner.name,
          status: "skipped",
          detail: "--skip-audit given",
          findings: [],
        });
      } else {
        outcomes.push(await runScanner(ops, settings, scanner));
      }
    }
    await this.writeReports(ops, settings, threshold, outcomes);
    judge(ops, threshold, outcomes);
  }

  private async writeReports(
    ops: Ops,
    settings: ScanSettings,
    threshold: Severity,
    outcomes: ScannerOutcome[],
  ) {
    const findings = outcomes.flatMap((o) => o.findings);
    await ops.reporter.step(`write reports to ${this.reportsDir}`, async () => {
      const scanners = outcomes.map(({ findings: own, ...rest }) => ({ ...rest, findings: own.length }));
      const report = { threshold, tag: settings.tag, scanners, findings };
      await ops.exec.writeFile(
        join(settings.reportsDir, "scan.json"),
        `${JSON.stringify(report, null, 2)}\n`,
      );
      const sarif = toSarif(
        outcomes.map((o) => o.scanner),
        findings,
      );
      await ops.exec.writeFile(
        join(settings.reportsDir, "scan.sarif"),
        `${JSON.stringify(sarif, null, 2)}\n`,
      );
    });
  }
}

async function runScanner(ops: Ops, settings: ScanSettings, scanner: Scanner): Promise<ScannerOutcome> {
  try {
    const outcome = await ops.reporter.step(scanner.title, async () => {
      const result = await scanner.run(ops, settings);
      if (result.status === "unavailable")
        throw new CheckFailed(result.detail ?? `${scanner.name} unavailable`);
      return result;
    });
    if (outcome.status === "skipped") ops.reporter.note(`skipped: ${outcome.detail}`);
    else
      ops.reporter.note(`${outcome.findings.length} findings${outcome.detail ? ` (${outcome.detail})` : ""}`);
    return outcome;
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    const unavailable = error.message.startsWith("audit unavailable");
    return {
      scanner: scanner.name,
      status: unavailable ? "unavailable" : "error",
      detail: error.message,
      findings: [],
    };
  }
}

function judge(ops: Ops, threshold: Severity, outcomes: ScannerOutcome[]): void {
  if (ops.exec.dryRun) return;
  const problems: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.status === "unavailable" || outcome.status === "error") {
      problems.push(`${outcome.scanner}: ${outcome.detail}`);
    }
  }
  const blocking = outcomes
    .flatMap((o) => o.findings)
    .filter((f: Finding) => atOrAbove(f.severity, threshold));
  if (blocking.length > 0) {
    problems.push(`${blocking.length} findings at or above ${threshold}:`);
    for (const f of blocking.slice(0, 20)) {
      problems.push(
        `  [${f.severity}] ${f.scanner} ${f.ruleId} ${f.path ?? ""}${f.line ? `:${f.line}` : ""} ${f.message}`,
      );
    }
    if (blocking.length > 20) problems.push(`  … and ${blocking.length - 20} more (see the reports)`);
  }
  if (problems.length > 0) throw new CheckFailed(problems.join("\n"));
}
