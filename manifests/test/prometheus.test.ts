import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { find, manifestsDir, render, repoRoot } from "./kustomize.ts";
import { runTool } from "./run-tool.ts";

const prometheusDir = join(manifestsDir, "observability", "monitoring", "prometheus");
const dashboardsDir = join(manifestsDir, "observability", "monitoring", "grafana", "dashboards");
const rulesFile = join(prometheusDir, "ecom-alerts.rules.yml");
const workDir = mkdtempSync(join(tmpdir(), "ecom-promtool-"));

type AlertRule = { alert?: string; record?: string; expr: string };
type RuleGroups = { groups: { name: string; rules: AlertRule[] }[] };
type Target = { expr: string };
type Panel = { type: string; title: string; targets?: Target[] };
type Dashboard = { uid: string; title: string; panels: Panel[] };

const rules = (Bun.YAML.parse(readFileSync(rulesFile, "utf8")) as RuleGroups).groups.flatMap((g) => g.rules);
const dashboardFiles = readdirSync(dashboardsDir).filter((f) => f.endsWith(".json"));
const dashboards = new Map(
  dashboardFiles.map((f) => [f, JSON.parse(readFileSync(join(dashboardsDir, f), "utf8")) as Dashboard]),
);

/** PromQL as Grafana sends it: the dashboard variables replaced by real values. */
function concrete(expr: string): string {
  return expr.replaceAll("$__rate_interval", "5m").replaceAll("$namespace", "production");
}

/** promtool parses every expression of a rule file; a recording rule per expression makes it check any PromQL. */
async function checkPromql(name: string, exprs: string[]) {
  const file = join(workDir, `${name}.rules.yml`);
  const record = (i: number) => `check:${name.replaceAll("-", "_")}:${i}`;
  const groups = { groups: [{ name, rules: exprs.map((expr, i) => ({ record: record(i), expr })) }] };
  writeFileSync(file, JSON.stringify(groups, null, 2));
  return runTool(["promtool", "check", "rules", file]);
}

const metricNames = (expr: string) =>
  [...expr.matchAll(/\b([a-z_][a-z0-9_]*)\s*\{/g)]
    .map((m) => m[1]!)
    .filter((n) => !["by", "sum"].includes(n));

describe("alert rules", () => {
  test("promtool check rules accepts them", async () => {
    const result = await runTool(["promtool", "check", "rules", rulesFile]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.exitCode).toBe(0);
  });

  test("promtool test rules: every alert fires on its failure and not on healthy neighbours", async () => {
    const result = await runTool(["promtool", "test", "rules", "ecom-alerts.test.yml"], {
      cwd: prometheusDir,
    });
    expect(`${result.stdout}${result.stderr}`).toContain("SUCCESS");
    expect(result.exitCode).toBe(0);
    const tested = new Set(
      [
        ...readFileSync(join(prometheusDir, "ecom-alerts.test.yml"), "utf8").matchAll(/alertname: (\w+)/g),
      ].map((m) => m[1]),
    );
    expect(rules.map((r) => r.alert).filter((a) => !tested.has(a))).toEqual([]);
  });

  test("they cover 5xx ratio, p99 latency, pod restarts and order saga failures", () => {
    const exprOf = (alert: string) => rules.find((r) => r.alert === alert)?.expr ?? "";
    expect(exprOf("EcomHighErrorRatio")).toContain('status=~"5.."');
    expect(exprOf("EcomHighLatencyP99")).toMatch(
      /histogram_quantile\(0\.99,[\s\S]*http_request_duration_seconds_bucket/,
    );
    expect(exprOf("EcomPodRestarting")).toContain("kube_pod_container_status_restarts_total");
    expect(exprOf("EcomSagaRecoveryFailing")).toContain("saga_recoveries_total");
    expect(exprOf("EcomOrdersFailingOnDependencies")).toContain("orders_rejected_total");
  });

  test("a broken expression is refused (the PromQL check is real)", async () => {
    const result = await checkPromql("broken", ["sum(rate(http_requests_total[5m])"]);
    expect(result.exitCode).not.toBe(0);
  });
});

describe("Prometheus configuration", () => {
  test("promtool check config accepts it (with the pod discovery swapped for a static target)", async () => {
    // Debian's promtool is built without Kubernetes service discovery; everything else is checked as is.
    const config = Bun.YAML.parse(readFileSync(join(prometheusDir, "prometheus.yml"), "utf8")) as {
      scrape_configs: Record<string, unknown>[];
    };
    const ecomPods = config.scrape_configs.find((s) => s.job_name === "ecom-pods")!;
    expect(ecomPods.kubernetes_sd_configs).toEqual([
      { role: "pod", namespaces: { names: ["staging", "production"] } },
    ]);
    delete ecomPods.kubernetes_sd_configs;
    ecomPods.static_configs = [{ targets: ["127.0.0.1:3001"] }];
    // A folder of its own: the configuration loads every *.rules.yml beside it.
    const dir = join(workDir, "config");
    mkdirSync(dir);
    writeFileSync(join(dir, "prometheus.yml"), JSON.stringify(config));
    writeFileSync(join(dir, "ecom-alerts.rules.yml"), readFileSync(rulesFile));
    const result = await runTool(["promtool", "check", "config", join(dir, "prometheus.yml")]);
    expect(result.stdout).toContain("SUCCESS: 1 rule files found");
    expect(result.stdout).toContain("SUCCESS: 7 rules found");
    expect(result.exitCode).toBe(0);
  });

  test("the ConfigMap Prometheus mounts carries the configuration and the rules", async () => {
    const objects = await render("observability");
    const sts = find(objects, "StatefulSet", "prometheus");
    const volume = sts.spec.template.spec.volumes.find((v: { name: string }) => v.name === "config");
    const configMap = find(objects, "ConfigMap", volume.configMap.name);
    expect(Object.keys(configMap.data).sort()).toEqual(["ecom-alerts.rules.yml", "prometheus.yml"]);
  });
});

describe("Grafana dashboards", () => {
  test("one per service, each valid JSON with a unique uid", () => {
    expect(dashboardFiles.sort()).toEqual([
      "order-service.json",
      "product-service.json",
      "user-service.json",
    ]);
    const uids = [...dashboards.values()].map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  for (const file of dashboardFiles) {
    test(`${file}: RED metrics and in-flight requests; every PromQL expression parses`, async () => {
      const dashboard = dashboards.get(file)!;
      const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => concrete(t.expr));
      const all = exprs.join("\n");
      expect(all).toContain("rate(http_request_duration_seconds_count");
      expect(all).toContain('status=~"5.."');
      expect(all).toContain("histogram_quantile(0.99");
      expect(all).toContain("http_requests_in_flight");
      const result = await checkPromql(file.replace(".json", ""), exprs);
      expect(result.stdout).toContain(`SUCCESS: ${exprs.length} rules found`);
      expect(result.exitCode).toBe(0);
    });
  }

  test("the order dashboard shows the saga", () => {
    const all = JSON.stringify(dashboards.get("order-service.json"));
    for (const metric of ["orders_placed_total", "orders_rejected_total", "saga_recoveries_total"]) {
      expect(all).toContain(metric);
    }
  });

  test("provisioned from a ConfigMap holding every dashboard file", async () => {
    const objects = await render("observability");
    const grafana = find(objects, "Deployment", "grafana");
    const volume = grafana.spec.template.spec.volumes.find((v: { name: string }) => v.name === "dashboards");
    const configMap = find(objects, "ConfigMap", volume.configMap.name);
    expect(Object.keys(configMap.data).sort()).toEqual(dashboardFiles.sort());
    for (const file of dashboardFiles)
      expect(JSON.parse(configMap.data[file]).uid).toBe(dashboards.get(file)!.uid);
  });
});

describe("metric names match what the services export", () => {
  test("every application metric in alerts and dashboards is defined in the code", async () => {
    let code = "";
    for (const pattern of ["apps/*/src/**/*.ts", "packages/observability/src/**/*.ts"]) {
      for await (const path of new Bun.Glob(pattern).scan({ cwd: repoRoot })) {
        code += readFileSync(join(repoRoot, path), "utf8");
      }
    }
    const defined = new Set([...code.matchAll(/name: "([a-z_][a-z0-9_]*)"/g)].map((m) => m[1]));
    const used = new Set(
      [
        ...rules.map((r) => r.expr),
        ...[...dashboards.values()].flatMap((d) =>
          d.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr),
        ),
      ]
        .flatMap(metricNames)
        .map((n) => n.replace(/_(bucket|count|sum)$/, "")),
    );
    // Not the services' own: Prometheus' target health, prom-client's process metrics, kube-state-metrics.
    const external = (n: string) => n === "up" || n.startsWith("process_") || n.startsWith("kube_");
    expect([...used].filter((n) => !external(n) && !defined.has(n))).toEqual([]);
    expect(used.size).toBeGreaterThan(8);
    // Label values the alerts match on (saga outcome, rejection reason) are ones the code records.
    const values = rules.flatMap((r) =>
      [...r.expr.matchAll(/(?:outcome|reason)="([a-z_]+)"/g)].map((m) => m[1]!),
    );
    expect(values.length).toBeGreaterThan(2);
    expect(values.filter((v) => !code.includes(`"${v}"`))).toEqual([]);
  });
});
