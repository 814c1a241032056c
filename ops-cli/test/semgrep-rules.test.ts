import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./support/run-ecom.ts";
import { toolPath } from "./support/tool-path.ts";

const semgrep = toolPath("semgrep");

/** The real Semgrep with the repository's rules, offline (no metrics, no version check). */
async function scan(target: string): Promise<{ check: string; path: string; line: number }[]> {
  const proc = Bun.spawn(
    [
      semgrep,
      "scan",
      "--config",
      join(repoRoot, ".semgrep"),
      "--json",
      "--metrics=off",
      "--disable-version-check",
      "--quiet",
      target,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, SEMGREP_ENABLE_VERSION_CHECK: "0" },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`semgrep exited ${code}: ${stderr}`);
  const report = JSON.parse(stdout) as {
    results: { check_id: string; path: string; start: { line: number } }[];
    errors: unknown[];
  };
  expect(report.errors).toEqual([]);
  return report.results.map((r) => ({
    check: r.check_id.split(".").pop() ?? "",
    path: r.path,
    line: r.start.line,
  }));
}

describe("the repository's Semgrep rules", () => {
  test("find every planted bad snippet", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecom-sast-"));
    try {
      writeFileSync(
        join(dir, "planted.ts"),
        [
          'import { exec } from "node:child_process";',
          'import { sql } from "kysely";',
          "export function run(input: string, name: string) {",
          "  eval(input);",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: planted source text
          "  exec(`git log ${name}`, () => {});",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: planted source text
          "  return sql.raw(`select * from users where name = '${name}'`);",
          "}",
          'export const client = { url: "https://x", rejectUnauthorized: false };',
          'export const settings = { password: "hunter2hunter2" };',
          "",
        ].join("\n"),
      );
      writeFileSync(join(dir, "fine.ts"), 'export const q = (name: string) => ["select", name];\n');
      const findings = await scan(dir);
      expect(findings.map((f) => [f.check, f.line]).sort()).toEqual(
        [
          ["no-dynamic-code-evaluation", 4],
          ["no-shell-command-from-variables", 5],
          ["no-raw-sql-from-variables", 6],
          ["no-disabled-tls-verification", 8],
          ["no-hardcoded-secret", 9],
        ].sort(),
      );
      expect(findings.every((f) => f.path.endsWith("planted.ts"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("find nothing in the repository itself", async () => {
    expect(await scan(".")).toEqual([]);
  });
});
