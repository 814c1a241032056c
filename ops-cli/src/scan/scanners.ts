import { existsSync } from "node:fs";
import { join } from "node:path";
import { CheckFailed, MissingTool } from "../failures.ts";
import type { Ops } from "../ops.ts";
import { imageRepository, SERVICES } from "../settings/services.ts";
import { parseAuditReport } from "./audit-report.ts";
import type { Finding } from "./findings.ts";
import { parseSemgrepReport } from "./semgrep-report.ts";
import { parseTrivyReport } from "./trivy-report.ts";

export interface ScanSettings {
  reportsDir: string;
  tag: string;
}

export type ScannerStatus = "ok" | "skipped" | "unavailable" | "error";

export interface ScannerOutcome {
  scanner: string;
  status: ScannerStatus;
  detail?: string;
  findings: Finding[];
}

export interface Scanner {
  name: string;
  title: string;
  run(ops: Ops, settings: ScanSettings): Promise<ScannerOutcome>;
}

const ok = (scanner: string, findings: Finding[], detail?: string): ScannerOutcome => ({
  scanner,
  status: "ok",
  findings,
  ...(detail ? { detail } : {}),
});
const skipped = (scanner: string, detail: string): ScannerOutcome => ({
  scanner,
  status: "skipped",
  detail,
  findings: [],
});

/** Keeps each tool's own report beside the combined one. */
async function keepRaw(ops: Ops, settings: ScanSettings, name: string, content: string): Promise<void> {
  await ops.exec.writeFile(join(settings.reportsDir, "raw", name), content);
}

const trivyJson = ["--format", "json", "--quiet"];

export const audit: Scanner = {
  name: "bun-audit",
  title: "dependency audit (bun audit)",
  async run(ops, settings) {
    // bun audit exits 1 when it finds advisories; the JSON tells findings from an unreachable database.
    const { stdout, stderr } = await ops.exec.run(["bun", "audit", "--json"], {
      capture: true,
      okExitCodes: [1],
      dryRunOutput: "{}",
    });
    const findings = parseAuditReport(stdout);
    if (!findings) {
      const reason = stderr.trim().split("\n").pop() || "no JSON report";
      return {
        scanner: this.name,
        status: "unavailable",
        detail: `audit unavailable: ${reason}`,
        findings: [],
      };
    }
    await keepRaw(ops, settings, "bun-audit.json", stdout);
    return ok(this.name, findings);
  },
};

export const trivyFs: Scanner = {
  name: "trivy-fs",
  title: "Trivy filesystem scan (vulnerabilities, secrets)",
  async run(ops, settings) {
    const { stdout } = await ops.exec.run(
      [
        "trivy",
        "fs",
        "--scanners",
        "vuln,secret",
        ...trivyJson,
        "--skip-dirs",
        "node_modules,.data,.ecom",
        ".",
      ],
      { capture: true, dryRunOutput: "{}" },
    );
    await keepRaw(ops, settings, "trivy-fs.json", stdout);
    return ok(this.name, parseTrivyReport(stdout, this.name));
  },
};

export const trivyConfig: Scanner = {
  name: "trivy-config",
  title: "Trivy config scan (rendered manifests, Dockerfiles)",
  async run(ops, settings) {
    const findings: Finding[] = [];
    const renderedDir = join(settings.reportsDir, "rendered");
    const overlays = ["staging", "prod"].filter(
      (env) => ops.exec.dryRun || existsSync(join(ops.root, "manifests/overlays", env, "kustomization.yaml")),
    );
    for (const env of overlays) {
      const { stdout } = await ops.exec.run(["kubectl", "kustomize", `manifests/overlays/${env}`], {
        capture: true,
      });
      await ops.exec.writeFile(join(renderedDir, `${env}.yaml`), stdout);
    }
    const targets = [...(overlays.length > 0 ? [renderedDir] : []), "apps"];
    for (const target of targets) {
      const { stdout } = await ops.exec.run(["trivy", "config", ...trivyJson, target], {
        capture: true,
        dryRunOutput: "{}",
      });
      await keepRaw(
        ops,
        settings,
        `trivy-config-${target === "apps" ? "dockerfiles" : "manifests"}.json`,
        stdout,
      );
      findings.push(...parseTrivyReport(stdout, this.name));
    }
    const detail =
      overlays.length === 0 ? "no overlays under manifests/overlays: Dockerfiles only" : undefined;
    return ok(this.name, findings, detail);
  },
};

export const trivyImage: Scanner = {
  name: "trivy-image",
  title: "Trivy image scan (built images)",
  async run(ops, settings) {
    const findings: Finding[] = [];
    const scanned: string[] = [];
    for (const { name } of SERVICES) {
      const image = `${imageRepository(name, ops.env.ECOM_REGISTRY)}:${settings.tag}`;
      let exists: boolean;
      try {
        const inspect = await ops.exec.run(["docker", "image", "inspect", "--format", "{{.Id}}", image], {
          capture: true,
          okExitCodes: [1],
        });
        if (inspect.stderr.includes("Cannot connect to the Docker daemon")) {
          return skipped(this.name, "the Docker daemon is not reachable: no local images");
        }
        exists = inspect.exitCode === 0;
      } catch (error) {
        if (error instanceof MissingTool)
          return skipped(this.name, "docker is not installed: no local images");
        throw error;
      }
      if (!exists) continue;
      const { stdout } = await ops.exec.run(["trivy", "image", ...trivyJson, image], {
        capture: true,
        dryRunOutput: "{}",
      });
      await keepRaw(ops, settings, `trivy-image-${name}.json`, stdout);
      findings.push(...parseTrivyReport(stdout, this.name));
      scanned.push(image);
    }
    if (scanned.length === 0) return skipped(this.name, `no image tagged ${settings.tag} is built`);
    return ok(this.name, findings, `scanned ${scanned.join(", ")}`);
  },
};

export const semgrep: Scanner = {
  name: "semgrep",
  title: "SAST (Semgrep with the rules in .semgrep/)",
  async run(ops, settings) {
    const { stdout, exitCode } = await ops.exec.run(
      [
        "semgrep",
        "scan",
        "--config",
        ".semgrep",
        "--json",
        "--metrics=off",
        "--disable-version-check",
        "--quiet",
        ".",
      ],
      // Without this semgrep first asks the network for a newer version, which hangs where it is blocked.
      { capture: true, okExitCodes: [1], env: { SEMGREP_ENABLE_VERSION_CHECK: "0" }, dryRunOutput: "{}" },
    );
    await keepRaw(ops, settings, "semgrep.json", stdout);
    const { findings, errors } = parseSemgrepReport(stdout);
    if (exitCode !== 0 && findings.length === 0)
      throw new CheckFailed(`semgrep failed: ${errors.join("; ")}`);
    return ok(this.name, findings, errors.length > 0 ? `${errors.length} semgrep errors` : undefined);
  },
};

export const ALL_SCANNERS: Scanner[] = [audit, trivyFs, trivyConfig, trivyImage, semgrep];
