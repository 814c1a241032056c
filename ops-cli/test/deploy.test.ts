import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Call, createFakeTools, type FakeTools } from "./support/fake-tools.ts";
import {
  createReleaseRoot,
  digestFor,
  goodReleases,
  imagesFor,
  namespaceJson,
  SERVICE_NAMES,
} from "./support/release-fixture.ts";
import { runEcom } from "./support/run-ecom.ts";

let fakes: FakeTools;
let release: ReturnType<typeof createReleaseRoot>;

beforeEach(() => {
  fakes = createFakeTools(["kubectl", "git", "docker"]);
  release = createReleaseRoot(["v0", "v1", "v2"]);
});
afterEach(() => {
  fakes.cleanup();
  release.cleanup();
});

const env = (extra: Record<string, string> = {}) => ({ ...fakes.env, ECOM_ROOT: release.root, ...extra });

/** Temp paths differ per run; the plan is compared with them replaced. */
function argvOf(calls: Call[]): string[][] {
  return calls.map((c) =>
    c.argv.map((a) => a.replace(/\/[^\s]*ecom-render-(staging|prod)-[A-Za-z0-9]+/, "<render>")),
  );
}

function cluster(context: string, namespaces: Record<string, Record<string, string>>, extra: object[] = []) {
  fakes.configure({
    rules: [
      { tool: "kubectl", match: "config current-context", stdout: `${context}\n` },
      ...Object.entries(namespaces).map(([ns, annotations]) => ({
        tool: "kubectl",
        match: `get namespace ${ns} -o json`,
        stdout: namespaceJson(annotations),
      })),
      ...(extra as never[]),
    ],
  });
}

const rollouts = (context: string, ns: string) =>
  SERVICE_NAMES.map((s) => [
    "--context",
    context,
    "-n",
    ns,
    "rollout",
    "status",
    `deployment/${s}`,
    "--timeout=5m",
  ]);
const portForwards = (context: string, ns: string) =>
  [
    ["user-service", 3001],
    ["product-service", 3002],
    ["order-service", 3003],
  ].map(([s, port]) => ["--context", context, "-n", ns, "port-forward", `service/${s}`, `:${port}`]);

const renderApply = (context: string) => [
  ["kustomize", "<render>"],
  [
    "--context",
    context,
    "apply",
    "--server-side",
    "--field-manager=ecom",
    "--force-conflicts",
    "-f",
    "<render>/rendered.yaml",
  ],
];

function expectPinned(manifest: string, tag: string): void {
  for (const s of SERVICE_NAMES)
    expect(manifest).toContain(`image: ghcr.io/acme/ecom/${s}@${digestFor(tag, s)}`);
}

describe("ecom deploy staging", () => {
  test("renders the real overlay with pinned digests, applies, waits, smoke-tests and records last good", async () => {
    cluster("staging", { staging: goodReleases("v1", "v0") });
    const result = await runEcom(["deploy", "staging", "--tag", "v2"], env());
    expect(result.stderr).toContain("Summary: ecom deploy staging");
    expect(result.exitCode).toBe(0);
    expect(argvOf(fakes.calls("kubectl"))).toEqual([
      ["config", "current-context"],
      ["--context", "staging", "get", "namespace", "staging", "-o", "json"],
      ["kustomize", "<render>"],
      [
        "--context",
        "staging",
        "diff",
        "--server-side",
        "--field-manager=ecom",
        "-f",
        "<render>/rendered.yaml",
      ],
      renderApply("staging")[1] as string[],
      ["--context", "staging", "annotate", "namespace", "staging", "--overwrite", "ecom.dev/current-tag=v2"],
      ...rollouts("staging", "staging"),
      ...portForwards("staging", "staging"),
      [
        "--context",
        "staging",
        "annotate",
        "namespace",
        "staging",
        "--overwrite",
        "ecom.dev/current-tag=v2",
        "ecom.dev/last-good-tag=v2",
        `ecom.dev/last-good-images=${JSON.stringify(imagesFor("v2"))}`,
        "ecom.dev/previous-good-tag=v1",
        `ecom.dev/previous-good-images=${JSON.stringify(imagesFor("v1"))}`,
        "ecom.dev/failed-tag-",
      ],
    ]);
    const [applied] = fakes.applied();
    expectPinned(applied ?? "", "v2");
    expect(applied).toContain("namespace: staging");
  });

  test("a failed rollout rolls back to the last good release and exits 1", async () => {
    cluster("staging", { staging: goodReleases("v1", "v0") }, [
      {
        tool: "kubectl",
        match: "rollout status deployment/product-service",
        exitCode: 1,
        stderr: 'error: deployment "product-service" exceeded its progress deadline\n',
        times: 1,
      },
    ]);
    const result = await runEcom(["deploy", "staging", "--tag", "v2"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("rolled back to v1");
    const calls = argvOf(fakes.calls("kubectl"));
    const failedAt = calls.findIndex((c) => c.includes("deployment/product-service"));
    expect(calls.slice(failedAt + 1)).toEqual([
      ...renderApply("staging"),
      [
        "--context",
        "staging",
        "annotate",
        "namespace",
        "staging",
        "--overwrite",
        "ecom.dev/current-tag=v1",
        "ecom.dev/failed-tag=v2",
      ],
      ...rollouts("staging", "staging"),
    ]);
    const [deployed, rolledBack] = fakes.applied();
    expectPinned(deployed ?? "", "v2");
    expectPinned(rolledBack ?? "", "v1");
    expect(calls.some((c) => c.includes("ecom.dev/last-good-tag=v2"))).toBe(false);
  });

  test("a failed smoke test after the apply rolls back and exits 1", async () => {
    fakes.configure({
      portForwardStatus: 503,
      rules: [
        { tool: "kubectl", match: "config current-context", stdout: "staging\n" },
        { tool: "kubectl", match: "get namespace staging", stdout: namespaceJson(goodReleases("v1")) },
      ],
    });
    const result = await runEcom(["deploy", "staging", "--tag", "v2"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("smoke tests failed");
    expect(result.stderr).toContain("/health/live: expected HTTP 200, got 503");
    expect(result.stderr).toContain("rolled back to v1");
    const calls = argvOf(fakes.calls("kubectl"));
    expect(calls.filter((c) => c.includes("apply"))).toHaveLength(2);
    expectPinned(fakes.applied()[1] ?? "", "v1");
    expect(calls.at(-1)).toEqual(rollouts("staging", "staging").at(-1) as string[]);
  });

  test("a failure with no last good release recorded says so and exits 1", async () => {
    cluster("staging", { staging: {} });
    const result = await runEcom(
      ["deploy", "staging", "--tag", "v2"],
      env({ FAKE_KUBECTL_FAIL_ON: "rollout status" }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("and so did the rollback");
    expect(result.stderr).toContain("no last good release recorded");
    expect(fakes.calls("kubectl").filter((c) => c.argv.includes("apply"))).toHaveLength(1);
  });

  test("a rollback whose own rollout fails says both failed", async () => {
    cluster("staging", { staging: goodReleases("v1") });
    const result = await runEcom(
      ["deploy", "staging", "--tag", "v2"],
      env({ FAKE_KUBECTL_FAIL_ON: "rollout status" }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("deploy of v2 to staging failed (");
    expect(result.stderr).toContain(
      "and so did the rollback: `kubectl --context staging -n staging rollout status",
    );
    expect(fakes.calls("kubectl").filter((c) => c.argv.includes("apply"))).toHaveLength(2);
  });

  test("a failed apply rolls back too (part of the release may be in the cluster)", async () => {
    cluster("staging", { staging: goodReleases("v1") }, [
      { tool: "kubectl", match: "apply --server-side", exitCode: 1, stderr: "error: conflict\n", times: 1 },
    ]);
    const result = await runEcom(["deploy", "staging", "--tag", "v2"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("rolled back to v1");
    expectPinned(fakes.applied()[1] ?? "", "v1");
  });

  test("a wrong kube context refuses before anything is applied", async () => {
    cluster("production", { staging: goodReleases("v1") });
    const result = await runEcom(["deploy", "staging", "--tag", "v2"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      'the current kube context is "production" but staging is deployed through "staging"',
    );
    expect(argvOf(fakes.calls())).toEqual([["config", "current-context"]]);
  });

  test("the expected context comes from ECOM_KUBE_CONTEXT_STAGING", async () => {
    cluster("staging", { staging: goodReleases("v1") });
    const result = await runEcom(
      ["deploy", "staging", "--tag", "v2"],
      env({ ECOM_KUBE_CONTEXT_STAGING: "gke_acme_staging" }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('deployed through "gke_acme_staging"');
  });

  test("without pinned digests for the tag it refuses and names ecom push", async () => {
    cluster("staging", { staging: goodReleases("v1") });
    const result = await runEcom(["deploy", "staging", "--tag", "v9"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("run `ecom push --tag v9` first");
    expect(fakes.calls("kubectl").some((c) => c.argv.includes("apply"))).toBe(false);
  });

  test("--dry-run prints the plan, including the rollback, and runs nothing", async () => {
    const result = await runEcom(["deploy", "staging", "--tag", "v2", "--dry-run"], env());
    expect(result.exitCode).toBe(0);
    expect(fakes.calls()).toEqual([]);
    expect(result.stdout).toContain("[dry-run] $ kubectl config current-context");
    expect(result.stdout).toMatch(
      /\[dry-run\] \$ kubectl --context staging apply --server-side .* -f \S+rendered\.yaml/,
    );
    expect(result.stdout).toContain("rollout status deployment/order-service --timeout=5m");
    expect(result.stdout).toContain("if the apply, a rollout or a smoke check fails");
    expect(fakes.applied()).toEqual([]);
  });

  test("a bad environment or timeout is a usage error (exit 2)", async () => {
    expect((await runEcom(["deploy", "qa", "--tag", "v2"], env())).exitCode).toBe(2);
    expect((await runEcom(["deploy", "staging", "--timeout", "soon"], env())).exitCode).toBe(2);
    expect((await runEcom(["deploy"], env())).exitCode).toBe(2);
    expect(fakes.calls()).toEqual([]);
  });
});

describe("ecom deploy prod", () => {
  test("without --yes and without a terminal it refuses before running anything", async () => {
    cluster("production", { production: goodReleases("v1"), staging: goodReleases("v2") });
    const result = await runEcom(["deploy", "prod", "--tag", "v2"], env());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("pass --yes to confirm");
    expect(fakes.calls()).toEqual([]);
  });

  test("refuses a tag that is not staging's last good release", async () => {
    cluster("production", { production: goodReleases("v1"), staging: goodReleases("v1") });
    const result = await runEcom(["deploy", "prod", "--tag", "v2", "--yes"], env());
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("staging's is v1, not v2");
    expect(argvOf(fakes.calls("kubectl"))).toEqual([
      ["config", "current-context"],
      ["--context", "production", "get", "namespace", "production", "-o", "json"],
      ["--context", "staging", "get", "namespace", "staging", "-o", "json"],
    ]);
  });

  test("promotes staging's last good release with --yes through the production context", async () => {
    cluster("production", { production: goodReleases("v1", "v0"), staging: goodReleases("v2", "v1") });
    const result = await runEcom(["deploy", "prod", "--tag", "v2", "--yes"], env());
    expect(result.exitCode).toBe(0);
    const calls = argvOf(fakes.calls("kubectl"));
    expect(calls).toContainEqual(renderApply("production")[1] as string[]);
    expect(calls).toContainEqual(rollouts("production", "production")[0] as string[]);
    expect(calls.at(-1)).toContain("ecom.dev/last-good-tag=v2");
    expect(calls.at(-1)).toContain("ecom.dev/previous-good-tag=v1");
    const [applied] = fakes.applied();
    expectPinned(applied ?? "", "v2");
    expect(applied).toContain("namespace: production");
  });
});
