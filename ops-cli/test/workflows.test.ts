import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./support/run-ecom.ts";
import { toolPath } from "./support/tool-path.ts";

interface Step {
  uses?: string;
  run?: string;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: { name: string };
  permissions?: Record<string, string>;
  steps: Step[];
}

const pipelinePath = join(repoRoot, ".github", "workflows", "pipeline.yml");
const pipeline = Bun.YAML.parse(await Bun.file(pipelinePath).text()) as {
  env: Record<string, string>;
  jobs: Record<string, Job>;
};

async function actionlint(cwd: string, files: string[] = []): Promise<{ code: number; output: string }> {
  const proc = Bun.spawn([toolPath("actionlint"), "-no-color", ...files], {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, output: out + err };
}

const ecomCommands = (job: Job) =>
  job.steps.flatMap((s) => [...(s.run ?? "").matchAll(/bun run ecom (\w+)/g)].map((m) => m[1]));

describe("the CI workflows", () => {
  test("pass actionlint", async () => {
    expect(await actionlint(repoRoot)).toEqual({ code: 0, output: "" });
  });

  test("actionlint really lints: a broken workflow is reported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecom-actionlint-"));
    try {
      mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
      writeFileSync(
        join(dir, ".github", "workflows", "bad.yml"),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub expression syntax, not JS
        "on: push\njobs:\n  a:\n    needs: nowhere\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n",
      );
      const result = await actionlint(dir, [".github/workflows/bad.yml"]);
      expect(result.code).toBe(1);
      expect(result.output).toContain("nowhere");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("run the seed's stages in order, each through one ecom command", () => {
    const jobs = pipeline.jobs;
    expect(Object.keys(jobs)).toEqual(["build", "test", "scan", "docker", "deploy-staging", "deploy-prod"]);
    expect(jobs.test?.needs).toBe("build");
    expect(jobs.scan?.needs).toBe("build");
    expect(jobs.docker?.needs).toEqual(["test", "scan"]);
    expect(jobs["deploy-staging"]?.needs).toBe("docker");
    expect(jobs["deploy-prod"]?.needs).toBe("deploy-staging");
    expect(Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, ecomCommands(job)]))).toEqual({
      build: ["build"],
      test: ["test", "test"],
      scan: ["scan"],
      docker: ["build", "push"],
      "deploy-staging": ["deploy", "status"],
      "deploy-prod": ["deploy", "status"],
    });
    const runs = (job: string) => (jobs[job]?.steps ?? []).map((s) => s.run ?? "").join("\n");
    expect(runs("test")).toContain("bun run ecom test --unit --integration --coverage");
    expect(runs("deploy-prod")).toContain('bun run ecom deploy prod --tag "$GITHUB_SHA" --timeout 10m --yes');
  });

  test("gate production behind its protected environment and only push with package rights", () => {
    expect(pipeline.jobs["deploy-prod"]?.environment?.name).toBe("production");
    expect(pipeline.jobs["deploy-staging"]?.environment?.name).toBe("staging");
    expect(pipeline.jobs.docker?.permissions).toEqual({ contents: "read", packages: "write" });
    expect(pipeline.jobs.docker?.if).toContain("refs/heads/main");
  });

  test("pin every action by commit and set Bun up from its npm package at 1.4.5", () => {
    const steps = Object.values(pipeline.jobs).flatMap((job) => job.steps);
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(pipeline.env.BUN_VERSION).toBe("1.4.5");
    for (const job of Object.values(pipeline.jobs)) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub expression syntax, not JS
      expect(job.steps.map((s) => s.run)).toContain('npm install -g "bun@${BUN_VERSION}"');
    }
  });
});
