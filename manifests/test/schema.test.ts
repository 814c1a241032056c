import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployables, type K8sObject, manifestsDir, parseObjects, render, renderYaml } from "./kustomize.ts";
import { runTool } from "./run-tool.ts";

/**
 * Offline validation against the Kubernetes API's JSON schemas, which the PyPI package kubernetes-validate
 * ships for every minor version. Strict: unknown fields are errors. 1.30 is the oldest supported cluster
 * (the preStop `sleep` action is on by default from 1.30); 1.35 catches removals in newer clusters.
 */
const kubernetesVersions = ["1.30.0", "1.35.0"];
const workDir = mkdtempSync(join(tmpdir(), "ecom-schema-"));

type Outcome = { passed: string[]; problems: string[] };

async function validate(name: string, yaml: string): Promise<Outcome> {
  const file = join(workDir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const args = kubernetesVersions.flatMap((v) => ["-k", v]);
  const result = await runTool(["kubernetes-validate", "--strict", ...args, file]);
  const lines = `${result.stdout}\n${result.stderr}`.split("\n").filter((l) => l.trim() !== "");
  // Anything but a pass is a problem, including "Couldn't find schema" warnings for unknown kinds.
  const problems = lines.filter((l) => !/^INFO .* passed for resource /.test(l));
  if (result.exitCode !== 0 && problems.length === 0) problems.push(`exit code ${result.exitCode}`);
  return { passed: lines.filter((l) => l.startsWith("INFO ")), problems };
}

describe("rendered objects validate against the Kubernetes API schema", () => {
  for (const [name, path] of Object.entries(deployables)) {
    test(`${name}: every object, every version`, async () => {
      const yaml = await renderYaml(path);
      const objects = parseObjects(yaml);
      const { passed, problems } = await validate(name, yaml);
      expect(problems).toEqual([]);
      expect(passed).toHaveLength(objects.length * kubernetesVersions.length);
    });
  }

  test("the validator is strict: a misspelt field and a wrong type are refused", async () => {
    const broken = `apiVersion: apps/v1
kind: Deployment
metadata: {name: broken}
spec:
  replicas: "3"
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers: [{name: c, image: x, readinessprobe: {}}]
`;
    const { problems } = await validate("broken", broken);
    expect(problems.join("\n")).toContain("did not validate for resource deployment/broken");
    const { problems: unknown } = await validate(
      "unknown-kind",
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
    );
    expect(unknown.join("\n")).toContain("Couldn't find schema");
  });
});

describe("the Secrets the pods reference", () => {
  const secretScript = join(manifestsDir, "scripts", "create-secrets.sh");

  async function dryRunSecrets(namespace: string): Promise<{ yaml: string; secrets: K8sObject[] }> {
    const result = await runTool(["bash", secretScript, namespace, "--dry-run"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    return { yaml: result.stdout, secrets: parseObjects(result.stdout) };
  }

  test("base and overlays ship no Secret values", async () => {
    for (const path of ["base", ...Object.values(deployables)]) {
      const secrets = (await render(path)).filter((o) => o.kind === "Secret");
      expect(secrets.map((s) => s.metadata.name)).toEqual([]);
    }
  });

  test("create-secrets.sh makes valid Secrets covering every required reference", async () => {
    const { yaml, secrets } = await dryRunSecrets("production");
    const { passed, problems } = await validate("secrets", yaml);
    expect(problems).toEqual([]);
    expect(passed).toHaveLength(secrets.length * kubernetesVersions.length);

    const provided = new Set(
      secrets.flatMap((s) => Object.keys(s.data ?? {}).map((key) => `${s.metadata.name}/${key}`)),
    );
    const required = new Set<string>();
    for (const o of await render("overlays/prod")) {
      for (const c of o.spec?.template?.spec?.containers ?? []) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref && !ref.optional) required.add(`${ref.name}/${ref.key}`);
        }
      }
    }
    expect(required.size).toBeGreaterThan(8);
    expect([...required].filter((r) => !provided.has(r))).toEqual([]);
  });

  test("the service URLs carry the passwords the databases are initialised with", async () => {
    const { secrets } = await dryRunSecrets("staging");
    const value = (name: string, key: string) => {
      const s = secrets.find((o) => o.metadata.name === name);
      return Buffer.from(s?.data?.[key] ?? "", "base64").toString();
    };
    const usersPassword = value("users-db-credentials", "POSTGRES_PASSWORD");
    expect(usersPassword).toMatch(/^[0-9a-f]{48}$/);
    expect(value("user-service-secrets", "DATABASE_URL")).toBe(
      `postgres://users:${usersPassword}@users-db:5432/users_db`,
    );
    expect(value("order-service-secrets", "DATABASE_URL")).toBe(
      `postgres://orders:${value("orders-db-credentials", "POSTGRES_PASSWORD")}@orders-db:5432/orders_db`,
    );
    expect(value("product-service-secrets", "MONGO_URL")).toBe(
      `mongodb://products:${value("products-db-credentials", "MONGO_INITDB_ROOT_PASSWORD")}@products-db:27017/?authSource=admin`,
    );
    expect(value("user-service-secrets", "JWT_PRIVATE_KEY")).toStartWith("-----BEGIN PRIVATE KEY-----");
    expect(value("ecom-internal-token", "INTERNAL_SERVICE_TOKEN").length).toBeGreaterThanOrEqual(16);
  });
});
