import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FakeRule } from "./support/fake-tool.ts";
import { createFakeTools, type FakeTools } from "./support/fake-tools.ts";
import { createReleaseRoot } from "./support/release-fixture.ts";
import { runEcom } from "./support/run-ecom.ts";

let fakes: FakeTools;
let release: ReturnType<typeof createReleaseRoot>;

beforeEach(() => {
  fakes = createFakeTools(["trivy", "semgrep", "bun", "docker", "kubectl", "git"]);
  release = createReleaseRoot([]);
});
afterEach(() => {
  fakes.cleanup();
  release.cleanup();
});

const env = () => ({ ...fakes.env, ECOM_ROOT: release.root });
const reports = () => join(release.root, "reports", "scan");

const trivyVuln = (severity: string) =>
  JSON.stringify({
    Results: [
      {
        Target: "bun.lock",
        Vulnerabilities: [
          {
            VulnerabilityID: "CVE-2026-0001",
            PkgName: "left-pad",
            InstalledVersion: "1.0.0",
            Title: "bad",
            Severity: severity,
          },
        ],
      },
    ],
  });

function scanners(rules: { fs?: string; audit?: Partial<FakeRule>; semgrep?: string } = {}) {
  fakes.configure({
    rules: [
      { tool: "bun", match: "audit --json", stdout: "{}", ...rules.audit },
      { tool: "trivy", match: "fs", stdout: rules.fs ?? "{}" },
      { tool: "trivy", match: "config", stdout: "{}" },
      { tool: "docker", match: "image inspect", exitCode: 1, stderr: "Error: No such image\n" },
      {
        tool: "semgrep",
        match: "scan",
        stdout: rules.semgrep ?? JSON.stringify({ results: [], errors: [] }),
      },
    ],
  });
}

describe("ecom scan", () => {
  test("a HIGH finding exits 1 and writes JSON and SARIF reports", async () => {
    scanners({ fs: trivyVuln("HIGH") });
    const result = await runEcom(["scan", "--tag", "t1"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("1 findings at or above HIGH");
    expect(result.stderr).toContain("CVE-2026-0001");

    const report = JSON.parse(readFileSync(join(reports(), "scan.json"), "utf8"));
    expect(report.threshold).toBe("HIGH");
    expect(report.findings).toEqual([
      {
        scanner: "trivy-fs",
        ruleId: "CVE-2026-0001",
        severity: "HIGH",
        message: "left-pad 1.0.0: bad",
        path: "bun.lock",
      },
    ]);
    const sarif = JSON.parse(readFileSync(join(reports(), "scan.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    const fsRun = sarif.runs.find(
      (r: { tool: { driver: { name: string } } }) => r.tool.driver.name === "trivy-fs",
    );
    expect(fsRun.results[0]).toMatchObject({ ruleId: "CVE-2026-0001", level: "error" });

    expect(fakes.calls("trivy").map((c) => c.argv)).toEqual([
      [
        "fs",
        "--scanners",
        "vuln,secret",
        "--format",
        "json",
        "--quiet",
        "--skip-dirs",
        "node_modules,.data,.ecom",
        ".",
      ],
      ["config", "--format", "json", "--quiet", join(reports(), "rendered")],
      ["config", "--format", "json", "--quiet", "apps"],
    ]);
    expect(fakes.calls("kubectl").map((c) => c.argv)).toEqual([
      ["kustomize", "manifests/overlays/staging"],
      ["kustomize", "manifests/overlays/prod"],
    ]);
    expect(readFileSync(join(reports(), "rendered", "prod.yaml"), "utf8")).toContain("namespace: production");
    expect(fakes.calls("semgrep").map((c) => c.argv)).toEqual([
      ["scan", "--config", ".semgrep", "--json", "--metrics=off", "--disable-version-check", "--quiet", "."],
    ]);
    expect(fakes.calls("docker")).toHaveLength(3);
  });

  test("findings below the threshold pass; lowering the threshold fails", async () => {
    scanners({
      semgrep: JSON.stringify({
        results: [
          {
            check_id: "semgrep-rules.no-math-random-for-secrets",
            path: "apps/x/src/a.ts",
            start: { line: 3 },
            extra: { message: "predictable", severity: "WARNING" },
          },
        ],
        errors: [],
      }),
    });
    expect((await runEcom(["scan", "--tag", "t1"], env())).exitCode).toBe(0);
    const strict = await runEcom(["scan", "--tag", "t1", "--severity-threshold", "MEDIUM"], env());
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr).toContain("[MEDIUM] semgrep no-math-random-for-secrets apps/x/src/a.ts:3");
  });

  test("an unreachable advisory database is reported as 'audit unavailable' and fails the scan", async () => {
    scanners({
      audit: { exitCode: 1, stdout: "", stderr: "error: POST <advisory endpoint> - 405\n" },
    });
    const result = await runEcom(["scan", "--tag", "t1"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("audit unavailable: error: POST <advisory endpoint> - 405");
    const report = JSON.parse(readFileSync(join(reports(), "scan.json"), "utf8"));
    expect(report.scanners[0]).toMatchObject({ scanner: "bun-audit", status: "unavailable" });
  });

  test("--skip-audit skips the audit visibly and a clean scan passes", async () => {
    scanners();
    const result = await runEcom(["scan", "--tag", "t1", "--skip-audit"], env());
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("dependency audit (bun audit) (skipped: --skip-audit)");
    expect(fakes.calls("bun")).toEqual([]);
    const report = JSON.parse(readFileSync(join(reports(), "scan.json"), "utf8"));
    expect(report.scanners.map((s: { status: string }) => s.status)).toEqual([
      "skipped",
      "ok",
      "ok",
      "skipped",
      "ok",
    ]);
  });

  test("a built image is scanned with trivy image", async () => {
    scanners();
    fakes.configure({
      rules: [
        { tool: "bun", match: "audit --json", stdout: "{}" },
        { tool: "trivy", match: "image", stdout: trivyVuln("CRITICAL") },
        { tool: "trivy", match: "", stdout: "{}" },
        { tool: "docker", match: "ecom/order-service:t1", stdout: "sha256:1\n" },
        { tool: "docker", match: "image inspect", exitCode: 1 },
        { tool: "semgrep", match: "scan", stdout: "{}" },
      ],
    });
    const result = await runEcom(["scan", "--tag", "t1"], env());
    expect(result.exitCode).toBe(1);
    expect(fakes.calls("trivy").at(-1)?.argv).toEqual([
      "image",
      "--format",
      "json",
      "--quiet",
      "ecom/order-service:t1",
    ]);
    expect(result.stderr).toContain("[CRITICAL] trivy-image CVE-2026-0001");
  });

  test("a missing trivy is named with how to install it", async () => {
    scanners();
    const noTrivy = createFakeTools(["semgrep", "bun", "docker", "kubectl"]);
    try {
      noTrivy.configure({ rules: [{ tool: "bun", match: "audit", stdout: "{}" }] });
      const result = await runEcom(["scan", "--tag", "t1"], {
        ...noTrivy.env,
        PATH: `${noTrivy.dir}/bin:/usr/bin:/bin`,
        ECOM_ROOT: release.root,
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        "trivy is not installed or not on PATH. Install it: go install github.com/aquasecurity/trivy/cmd/trivy@v0.74.0",
      );
    } finally {
      noTrivy.cleanup();
    }
  });

  test("--dry-run prints every scanner's command and runs none", async () => {
    const result = await runEcom(["scan", "--tag", "t1", "--dry-run"], env());
    expect(result.exitCode).toBe(0);
    expect(fakes.calls()).toEqual([]);
    for (const line of [
      "$ bun audit --json",
      "$ trivy fs",
      "$ trivy config",
      "$ trivy image",
      "$ semgrep scan",
    ]) {
      expect(result.stdout).toContain(line);
    }
    expect(result.stdout).toContain("write ");
  });

  test("an unknown severity is a usage error", async () => {
    expect((await runEcom(["scan", "--severity", "SEVERE"], env())).exitCode).toBe(2);
  });
});
