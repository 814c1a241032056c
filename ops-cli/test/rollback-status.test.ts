import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createFakeTools, type FakeTools } from "./support/fake-tools.ts";
import {
  createReleaseRoot,
  digestFor,
  goodReleases,
  namespaceJson,
  SERVICE_NAMES,
} from "./support/release-fixture.ts";
import { runEcom } from "./support/run-ecom.ts";

let fakes: FakeTools;
let release: ReturnType<typeof createReleaseRoot>;
beforeEach(() => {
  fakes = createFakeTools(["kubectl"]);
  release = createReleaseRoot(["v0"]);
});
afterEach(() => {
  fakes.cleanup();
  release.cleanup();
});

const env = () => ({ ...fakes.env, ECOM_ROOT: release.root });
const applies = () => fakes.calls("kubectl").filter((c) => c.argv.includes("apply"));

function onCluster(context: string, ns: string, annotations: Record<string, string>, extra: object[] = []) {
  fakes.configure({
    rules: [
      { tool: "kubectl", match: "config current-context", stdout: `${context}\n` },
      { tool: "kubectl", match: `get namespace ${ns} -o json`, stdout: namespaceJson(annotations) },
      ...(extra as never[]),
    ],
  });
}

describe("ecom rollback", () => {
  test("goes back to the previous good release and records it as last good", async () => {
    onCluster("staging", "staging", goodReleases("v2", "v1"));
    const result = await runEcom(["rollback", "staging"], env());
    expect(result.exitCode).toBe(0);
    const [applied] = fakes.applied();
    for (const s of SERVICE_NAMES) expect(applied).toContain(`@${digestFor("v1", s)}`);
    const last = fakes.calls("kubectl").at(-1)?.argv ?? [];
    expect(last.slice(0, 6)).toEqual([
      "--context",
      "staging",
      "annotate",
      "namespace",
      "staging",
      "--overwrite",
    ]);
    expect(last).toContain("ecom.dev/last-good-tag=v1");
    expect(last).toContain("ecom.dev/previous-good-tag-");
    expect(last).toContain("ecom.dev/failed-tag=v2");
  });

  test("--to takes the digests from the release file when the namespace does not know the tag", async () => {
    onCluster("staging", "staging", goodReleases("v2", "v1"));
    const result = await runEcom(["rollback", "staging", "--to", "v0"], env());
    expect(result.exitCode).toBe(0);
    for (const s of SERVICE_NAMES) expect(fakes.applied()[0]).toContain(`@${digestFor("v0", s)}`);
  });

  test("with no previous good release it refuses and applies nothing", async () => {
    onCluster("staging", "staging", goodReleases("v2"));
    const result = await runEcom(["rollback", "staging"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("no previous good release is recorded");
    expect(applies()).toEqual([]);
  });

  test("prod without --yes and without a terminal refuses before running anything", async () => {
    const result = await runEcom(["rollback", "prod"], env());
    expect(result.exitCode).toBe(2);
    expect(fakes.calls()).toEqual([]);
  });

  test("prod with a wrong context refuses before anything is applied", async () => {
    onCluster("staging", "production", goodReleases("v2", "v1"));
    const result = await runEcom(["rollback", "prod", "--yes"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('but prod is deployed through "production"');
    expect(applies()).toEqual([]);
  });

  test("a failed rollout of the rollback exits 1", async () => {
    onCluster("production", "production", goodReleases("v2", "v1"));
    const result = await runEcom(["rollback", "prod", "--yes"], {
      ...env(),
      FAKE_KUBECTL_FAIL_ON: "rollout status",
    });
    expect(result.exitCode).toBe(1);
    expect(fakes.calls("kubectl").some((c) => c.argv.includes("ecom.dev/last-good-tag=v1"))).toBe(false);
  });
});

describe("ecom status", () => {
  const deployments = JSON.stringify({
    items: [
      {
        metadata: { name: "user-service", generation: 3 },
        spec: {
          replicas: 2,
          template: { spec: { containers: [{ image: "ghcr.io/acme/ecom/user-service@sha256:1" }] } },
        },
        status: { observedGeneration: 3, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 },
      },
      {
        metadata: { name: "order-service", generation: 4 },
        spec: {
          replicas: 2,
          template: { spec: { containers: [{ image: "ghcr.io/acme/ecom/order-service@sha256:2" }] } },
        },
        status: {
          observedGeneration: 4,
          readyReplicas: 1,
          updatedReplicas: 1,
          availableReplicas: 1,
          conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
        },
      },
    ],
  });

  test("--json prints deployments, rollout state and the release tags", async () => {
    onCluster("staging", "staging", { ...goodReleases("v2", "v1"), "ecom.dev/current-tag": "v3" }, [
      { tool: "kubectl", match: "get deployments -o json", stdout: deployments },
    ]);
    const result = await runEcom(["status", "staging", "--json"], env());
    expect(result.exitCode).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status).toMatchObject({
      environment: "staging",
      namespace: "staging",
      currentTag: "v3",
      lastGoodTag: "v2",
      previousGoodTag: "v1",
    });
    expect(status.deployments.map((d: { name: string; rollout: string }) => [d.name, d.rollout])).toEqual([
      ["user-service", "complete"],
      ["order-service", "failed"],
    ]);
    expect(fakes.calls("kubectl").map((c) => c.argv)).toEqual([
      ["--context", "staging", "get", "namespace", "staging", "-o", "json"],
      ["--context", "staging", "-n", "staging", "get", "deployments", "-o", "json"],
    ]);
  });

  test("the text form shows the tags and one line per deployment", async () => {
    onCluster("production", "production", goodReleases("v2"), [
      { tool: "kubectl", match: "get deployments -o json", stdout: deployments },
    ]);
    const result = await runEcom(["status", "prod"], env());
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("last good tag:     v2");
    expect(result.stdout).toMatch(/order-service\s+1\/2 ready\s+failed/);
  });
});
