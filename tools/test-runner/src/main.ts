/**
 * The README's test command: static checks, every bun:test suite with coverage, then the
 * end-to-end suite; enforces line coverage of apps/ and packages/ and ends with one
 * `N passed, N failed` line that CI reads.
 */
import { checkCoverage } from "./coverage.ts";
import { runStep, type StepResult } from "./run-step.ts";

const COVERAGE_MIN = Number(process.env.COVERAGE_MIN ?? 80);
const withE2e = !process.argv.includes("--no-e2e");

const results: StepResult[] = [];
results.push(await runStep("typecheck", ["bun", "run", "typecheck"]));
results.push(await runStep("lint", ["bun", "run", "lint"]));
results.push(
  await runStep("unit and integration tests", [
    "bun",
    "test",
    "--timeout",
    "180000",
    "--coverage",
    "--coverage-reporter=lcov",
    "--coverage-reporter=text",
    "--coverage-dir=coverage",
    // The API fuzz suite is its own step below.
    "--path-ignore-patterns=tools/api-fuzz/**",
    "./apps",
    "./packages",
    "./ops-cli",
    "./tools",
    "./manifests",
    "./bench",
  ]),
);
const coverage = checkCoverage("coverage/lcov.info", ["apps/", "packages/"], COVERAGE_MIN);
console.log(coverage.report);
if (withE2e) results.push(await runStep("end-to-end tests", ["bun", "run", "test:e2e"]));
if (withE2e)
  results.push(
    await runStep("API fuzzing (schemathesis)", ["bun", "test", "--timeout", "300000", "./tools/api-fuzz"]),
  );

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const brokenSteps = results.filter((r) => !r.ok).map((r) => r.name);
if (!coverage.ok) brokenSteps.push("coverage");
if (brokenSteps.length > 0) console.log(`failed steps: ${brokenSteps.join(", ")}`);
// A step that failed without failing a test (typecheck, lint, coverage, a crash) still counts as one failure.
const stepFailures = results.filter((r) => !r.ok && r.failed === 0).length + (coverage.ok ? 0 : 1);
console.log(`${passed} passed, ${failed + stepFailures} failed`);
process.exit(brokenSteps.length > 0 ? 1 : 0);
