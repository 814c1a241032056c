import { join } from "node:path";
import { Command, Option } from "clipanion";
import { judgeCoverage, mergeCoverage, parseLcov } from "../coverage/lcov.ts";
import { CheckFailed, UsageFailure } from "../failures.ts";
import type { Ops } from "../ops.ts";
import { OpsCommand } from "./ops-command.ts";

interface Suite {
  name: "unit" | "integration" | "e2e";
  /** Arguments after `bun test`. */
  args: string[];
  coverable: boolean;
}

const SUITES: Suite[] = [
  { name: "unit", args: ["./packages", "./ops-cli", "--timeout", "120000"], coverable: true },
  { name: "integration", args: ["./apps", "--timeout", "120000"], coverable: true },
  // The e2e suite drives real processes: coverage of the test process would measure nothing useful.
  { name: "e2e", args: ["./e2e", "--timeout", "300000"], coverable: false },
];

export class TestCommand extends OpsCommand {
  static override paths = [["test"]];
  static override usage = Command.Usage({
    category: "Verify",
    description: "Run the test suites, lint the CI workflows, and enforce the coverage threshold",
    details: `
      Suites: unit (packages/, ops-cli/), integration (apps/, against real databases), e2e (e2e/, the running
      system). Without a suite flag, unit and integration run. The unit run also lints .github/workflows with
      actionlint. With \`--coverage\`, line coverage of apps/ and packages/ must reach the threshold (default 80 %;
      with \`--per-file\`, in every file); the failure names each file below it.
    `,
    examples: [
      ["Unit and integration suites", "$0 test"],
      ["Everything with the coverage gate (CI)", "$0 test --unit --integration --coverage"],
      ["Only the end-to-end suite", "$0 test --e2e"],
    ],
  });

  unit = Option.Boolean("--unit", false, { description: "Run the unit suite" });
  integration = Option.Boolean("--integration", false, { description: "Run the integration suite" });
  e2e = Option.Boolean("--e2e", false, { description: "Run the end-to-end suite" });
  coverage = Option.Boolean("--coverage", false, {
    description: "Collect coverage and enforce the threshold",
  });
  threshold = Option.String("--threshold", "80", { description: "Minimum line coverage, in percent" });
  perFile = Option.Boolean("--per-file", false, {
    description: "Require the threshold of every file, not only of the total",
  });

  protected summaryTitle(): string {
    return "ecom test";
  }

  protected async run(ops: Ops): Promise<void> {
    const threshold = Number(this.threshold);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
      throw new UsageFailure(`--threshold must be a percentage, not "${this.threshold}"`);
    }
    const chosen = SUITES.filter((s) => this[s.name]);
    const suites = chosen.length > 0 ? chosen : SUITES.filter((s) => s.name !== "e2e");
    const failures: string[] = [];
    if (suites.some((s) => s.name === "unit")) {
      await collect(failures, () =>
        ops.reporter.step("lint workflows (actionlint)", () => ops.exec.run(["actionlint"])),
      );
    }
    for (const suite of suites) {
      await collect(failures, () => this.runSuite(ops, suite));
    }
    const covered = suites.filter((s) => this.coverage && s.coverable);
    if (covered.length > 0) await collect(failures, () => this.checkCoverage(ops, covered, threshold));
    if (failures.length > 0) throw new CheckFailed(failures.join("\n"));
  }

  private async runSuite(ops: Ops, suite: Suite): Promise<void> {
    const coverageArgs =
      this.coverage && suite.coverable
        ? [
            "--coverage",
            "--coverage-reporter=text",
            "--coverage-reporter=lcov",
            `--coverage-dir=${join("coverage", suite.name)}`,
          ]
        : [];
    await ops.reporter.step(`${suite.name} tests`, () =>
      ops.exec.run(["bun", "test", ...suite.args, ...coverageArgs]),
    );
  }

  /** One gate over the suites run together: a line counts as covered when any of them ran it. */
  private async checkCoverage(ops: Ops, suites: Suite[], threshold: number): Promise<void> {
    const names = suites.map((s) => s.name).join(" + ");
    await ops.reporter.step(`coverage ≥ ${threshold}% (${names})`, async () => {
      const paths = suites.map((s) => join(ops.root, "coverage", s.name, "lcov.info"));
      if (ops.exec.dryRun) {
        ops.output.plan(
          `check that ${paths.join(" + ")} show ≥ ${threshold}% line coverage of apps/ and packages/`,
        );
        return;
      }
      const reports = [];
      for (const path of paths) {
        const file = Bun.file(path);
        if (!(await file.exists())) throw new CheckFailed(`no coverage report at ${path}`);
        reports.push(parseLcov(await file.text()));
      }
      const verdict = judgeCoverage(mergeCoverage(reports), threshold, this.perFile);
      const lines = verdict.below.map(
        (f) => `  ${f.file}: ${f.percent.toFixed(1)}% (${f.hit}/${f.found} lines)`,
      );
      ops.reporter.note(`total line coverage of apps/ and packages/: ${verdict.total.toFixed(1)}%`);
      if (!verdict.ok) {
        throw new CheckFailed(
          [
            `${names} coverage is below ${threshold}% (total ${verdict.total.toFixed(1)}%); files below the threshold:`,
            ...lines,
          ].join("\n"),
        );
      }
      if (lines.length > 0) ops.reporter.note(`files below ${threshold}%:\n${lines.join("\n")}`);
    });
  }
}

/** Runs every suite even after one fails, so a single run reports all failures. */
async function collect(failures: string[], work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    failures.push(error.message);
  }
}
