import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeTools, type FakeTools } from "./support/fake-tools.ts";
import { runEcom } from "./support/run-ecom.ts";

let fakes: FakeTools;
let root: string;
beforeEach(() => {
  fakes = createFakeTools(["bun", "actionlint"]);
  root = mkdtempSync(join(tmpdir(), "ecom-testcmd-"));
});
afterEach(() => {
  fakes.cleanup();
  rmSync(root, { recursive: true, force: true });
});

function lcov(files: [string, number, number][]): string {
  return files
    .map(([file, found, hit]) => `TN:\nSF:${file}\nLF:${found}\nLH:${hit}\nend_of_record\n`)
    .join("");
}

function writeCoverage(suite: string, files: [string, number, number][]): void {
  mkdirSync(join(root, "coverage", suite), { recursive: true });
  writeFileSync(join(root, "coverage", suite, "lcov.info"), lcov(files));
}

const env = () => ({ ...fakes.env, ECOM_ROOT: root });

describe("ecom test", () => {
  test("runs actionlint, the unit and the integration suites by default", async () => {
    const result = await runEcom(["test"], env());
    expect(result.exitCode).toBe(0);
    expect(fakes.calls().map((c) => [c.tool, ...c.argv])).toEqual([
      ["actionlint"],
      ["bun", "test", "./packages", "./ops-cli", "--timeout", "120000"],
      ["bun", "test", "./apps", "--timeout", "120000"],
    ]);
  });

  test("a coverage failure names every file below the threshold", async () => {
    writeCoverage("unit", [
      ["packages/auth/src/verify.ts", 100, 90],
      ["packages/db/src/migrate.ts", 50, 10],
      ["packages/db/test/migrate.test.ts", 10, 10],
      ["ops-cli/src/cli.ts", 10, 0],
    ]);
    const result = await runEcom(["test", "--unit", "--coverage"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("unit coverage is below 80% (total 66.7%); files below the threshold:");
    expect(result.stderr).toContain("packages/db/src/migrate.ts: 20.0% (10/50 lines)");
    expect(result.stderr).not.toContain("ops-cli/src/cli.ts");
    expect(result.stderr).not.toContain("packages/auth/src/verify.ts:");
    expect(fakes.calls("bun")[0]?.argv).toEqual([
      "test",
      "./packages",
      "./ops-cli",
      "--timeout",
      "120000",
      "--coverage",
      "--coverage-reporter=text",
      "--coverage-reporter=lcov",
      "--coverage-dir=coverage/unit",
    ]);
  });

  test("a total above the threshold passes but names the weak files; --per-file makes them fail", async () => {
    writeCoverage("unit", [
      ["packages/auth/src/verify.ts", 100, 100],
      ["packages/db/src/migrate.ts", 20, 10],
    ]);
    const lenient = await runEcom(["test", "--unit", "--coverage"], env());
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stderr).toContain("files below 80%:\n  packages/db/src/migrate.ts: 50.0% (10/20 lines)");
    const strict = await runEcom(["test", "--unit", "--coverage", "--per-file"], env());
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toContain("packages/db/src/migrate.ts: 50.0% (10/20 lines)");
  });

  test("the unit and integration runs are judged together, line by line", async () => {
    const lcovWith = (file: string, hits: number[]) =>
      `SF:${file}\n${hits.map((h, i) => `DA:${i + 1},${h}`).join("\n")}\nend_of_record\n`;
    mkdirSync(join(root, "coverage", "unit"), { recursive: true });
    mkdirSync(join(root, "coverage", "integration"), { recursive: true });
    // Each suite alone covers half of the file; together they cover all of it.
    writeFileSync(
      join(root, "coverage", "unit", "lcov.info"),
      lcovWith("packages/db/src/a.ts", [1, 1, 0, 0]),
    );
    writeFileSync(
      join(root, "coverage", "integration", "lcov.info"),
      lcovWith("packages/db/src/a.ts", [0, 0, 3, 1]),
    );
    const result = await runEcom(["test", "--coverage"], env());
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("coverage ≥ 80% (unit + integration)");
    expect(result.stderr).toContain("total line coverage of apps/ and packages/: 100.0%");
    expect((await runEcom(["test", "--unit", "--coverage"], env())).exitCode).toBe(1);
  });

  test("coverage at the threshold passes; --threshold changes it", async () => {
    writeCoverage("integration", [["apps/order-service/src/app.ts", 10, 9]]);
    expect((await runEcom(["test", "--integration", "--coverage"], env())).exitCode).toBe(0);
    const strict = await runEcom(["test", "--integration", "--coverage", "--threshold", "95"], env());
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toContain("apps/order-service/src/app.ts: 90.0% (9/10 lines)");
  });

  test("a failing suite fails the command but the other suites still run", async () => {
    fakes.configure({ rules: [{ tool: "bun", match: "./packages", exitCode: 1 }] });
    const result = await runEcom(["test"], env());
    expect(result.exitCode).toBe(1);
    expect(fakes.calls("bun")).toHaveLength(2);
  });

  test("--e2e runs only the end-to-end suite", async () => {
    expect((await runEcom(["test", "--e2e"], env())).exitCode).toBe(0);
    expect(fakes.calls().map((c) => [c.tool, ...c.argv])).toEqual([
      ["bun", "test", "./e2e", "--timeout", "300000"],
    ]);
  });

  test("--dry-run prints the plan and runs nothing", async () => {
    const result = await runEcom(["test", "--coverage", "--dry-run"], env());
    expect(result.exitCode).toBe(0);
    expect(fakes.calls()).toEqual([]);
    expect(result.stdout).toContain("[dry-run] $ actionlint");
    expect(result.stdout).toContain("show ≥ 80% line coverage of apps/ and packages/");
  });
});
