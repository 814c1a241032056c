import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manifestsDir, render, renderYaml, repoRoot, services } from "./kustomize.ts";
import { runTool } from "./run-tool.ts";

/**
 * Security scan of what is deployed (the rendered staging, prod and observability manifests) and of the
 * service Dockerfiles, with checkov, offline. Checks that do not apply are listed with their reasons in
 * checkov-skips.yaml (all files) or annotated on the one workload they concern.
 */
const skips = Bun.YAML.parse(
  readFileSync(join(manifestsDir, "test", "checkov-skips.yaml"), "utf8"),
) as Record<string, string>;
const workDir = mkdtempSync(join(tmpdir(), "ecom-checkov-"));

type Failed = { check_id: string; check_name: string; resource: string; file_path: string };
type Report = {
  check_type: string;
  summary: {
    passed: number;
    failed: number;
    skipped: number;
    parsing_errors: number;
    resource_count: number;
  };
  results: { failed_checks: Failed[] };
};

async function checkov(files: string[]): Promise<Report[]> {
  const result = await runTool([
    "checkov",
    // No call to checkov's online service: no severities, no downloaded checks; the built-in checks run.
    "--skip-download",
    "--quiet",
    "--compact",
    "--framework",
    "kubernetes",
    "dockerfile",
    "--skip-check",
    Object.keys(skips).join(","),
    "--output",
    "json",
    ...files.flatMap((f) => ["--file", f]),
  ]);
  if (result.stdout.trim() === "") throw new Error(`checkov printed no report:\n${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as Report | Report[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

describe("checkov security scan", () => {
  test("every skipped check carries its reason", () => {
    expect(Object.keys(skips).length).toBeGreaterThan(0);
    for (const [id, reason] of Object.entries(skips)) {
      expect(id).toMatch(/^CKV_(K8S|DOCKER)_\d+$/);
      expect(reason.length).toBeGreaterThan(60);
    }
  });

  test("every per-workload exception names a check and a reason", async () => {
    const annotated = [
      ...(await render("overlays/staging")),
      ...(await render("overlays/prod")),
      ...(await render("observability")),
    ].flatMap((o) =>
      Object.entries(o.metadata.annotations ?? {})
        .filter(([key]) => key.startsWith("checkov.io/skip"))
        .map(([, value]) => String(value)),
    );
    expect(annotated.length).toBeGreaterThan(5);
    for (const value of annotated) expect(value).toMatch(/^CKV_K8S_\d+=.{20,}$/);
  });

  test("staging, prod, observability and the Dockerfiles: no failed check", async () => {
    const files: string[] = [];
    for (const [name, path] of [
      ["staging", "overlays/staging"],
      ["prod", "overlays/prod"],
      ["observability", "observability"],
    ]) {
      const file = join(workDir, `${name}.yaml`);
      writeFileSync(file, await renderYaml(path!));
      files.push(file);
    }
    for (const svc of services) files.push(join(repoRoot, "apps", svc.name, "Dockerfile"));
    const reports = await checkov(files);

    const byType = Object.fromEntries(reports.map((r) => [r.check_type, r]));
    expect(byType.kubernetes?.summary.resource_count).toBeGreaterThan(90);
    expect(byType.dockerfile?.summary.resource_count).toBe(services.length);
    for (const r of reports) {
      expect(r.summary.parsing_errors).toBe(0);
      expect(r.summary.passed).toBeGreaterThan(100);
      const failed = r.results.failed_checks.map((f) => `${f.check_id} ${f.check_name}: ${f.resource}`);
      expect(failed).toEqual([]);
    }
  });

  test("the scan is real: a careless Deployment and Dockerfile fail it", async () => {
    const deployment = join(workDir, "careless.yaml");
    writeFileSync(
      deployment,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: careless, namespace: default}
spec:
  selector: {matchLabels: {app: careless}}
  template:
    metadata: {labels: {app: careless}}
    spec:
      containers:
        - name: app
          image: example/app:latest
          securityContext: {privileged: true}
`,
    );
    const dockerDir = mkdtempSync(join(workDir, "careless-"));
    const dockerfile = join(dockerDir, "Dockerfile");
    writeFileSync(dockerfile, 'FROM example/base:latest\nCOPY . .\nCMD ["app"]\n');
    const failed = (await checkov([deployment, dockerfile])).flatMap((r) =>
      r.results.failed_checks.map((f) => f.check_id),
    );
    for (const id of [
      "CKV_K8S_16",
      "CKV_K8S_20",
      "CKV_K8S_28",
      "CKV_K8S_14",
      "CKV_DOCKER_7",
      "CKV_DOCKER_3",
    ]) {
      expect(failed).toContain(id);
    }
  });
});
