import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createFakeTools, type FakeTools } from "./support/fake-tools.ts";
import { createReleaseRoot } from "./support/release-fixture.ts";
import { runEcom } from "./support/run-ecom.ts";

const COMMANDS = ["build", "test", "scan", "push", "deploy", "smoke", "rollback", "status", "dev"];

let fakes: FakeTools;
let release: ReturnType<typeof createReleaseRoot>;
beforeEach(() => {
  fakes = createFakeTools([
    "kubectl",
    "docker",
    "skaffold",
    "trivy",
    "semgrep",
    "git",
    "bun",
    "bunx",
    "actionlint",
  ]);
  release = createReleaseRoot([]);
});
afterEach(() => {
  fakes.cleanup();
  release.cleanup();
});

describe("ecom's command line", () => {
  test("every command has --help with a description, examples and --dry-run", async () => {
    for (const command of COMMANDS) {
      const result = await runEcom([command, "--help"]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`ecom ${command}`);
      expect(result.stdout).toContain("--dry-run");
      expect(result.stdout).toContain("Examples");
    }
  });

  test("the overview lists every command and documents the exit codes", async () => {
    const result = await runEcom(["--help"]);
    expect(result.exitCode).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(`ecom ${command}`);
    expect(result.stdout).toContain("exit codes: 0 ok, 1 failed check, 2 usage");
  });

  test("an unknown command or option is a usage error (exit 2)", async () => {
    expect((await runEcom(["ship"])).exitCode).toBe(2);
    expect((await runEcom(["status", "staging", "--colour"])).exitCode).toBe(2);
  });

  test("--dry-run of every command runs no external command", async () => {
    const env = { ...fakes.env, ECOM_ROOT: release.root, ECOM_REGISTRY: "ghcr.io/acme" };
    const plans = [
      ["build"],
      ["test", "--coverage"],
      ["scan"],
      ["push"],
      ["deploy", "staging"],
      ["deploy", "prod"],
      ["smoke", "staging"],
      ["rollback", "prod"],
      ["status", "prod"],
      ["dev"],
    ];
    for (const args of plans) {
      const result = await runEcom([...args, "--dry-run"], env);
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 0 });
      expect(result.stdout).toContain("[dry-run] $ ");
    }
    expect(fakes.calls()).toEqual([]);
  });

  test("progress lines carry step names and durations, with no colour codes without a terminal", async () => {
    fakes.configure({ rules: [{ tool: "kubectl", match: "get", stdout: '{"items":[]}' }] });
    const result = await runEcom(["status", "staging"], { ...fakes.env, ECOM_ROOT: release.root });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/✓ read staging deployments \(\d+ms\)/);
    expect(result.stderr).toContain("Summary: ecom status staging");
    expect(result.stderr).not.toContain("\u001b[");
  });
});

describe("ecom dev", () => {
  test("uses skaffold dev when kubectl has a current context", async () => {
    fakes.configure({ rules: [{ tool: "kubectl", match: "config current-context", stdout: "kind-ecom\n" }] });
    const result = await runEcom(["dev"], fakes.env);
    expect(result.exitCode).toBe(0);
    expect(fakes.calls().map((c) => [c.tool, ...c.argv])).toEqual([
      ["kubectl", "config", "current-context"],
      ["skaffold", "dev", "--kube-context", "kind-ecom"],
    ]);
  });

  test("falls back to the local bun run dev without a context, or with --local", async () => {
    fakes.configure({
      rules: [
        {
          tool: "kubectl",
          match: "config current-context",
          exitCode: 1,
          stderr: "error: current-context is not set\n",
        },
      ],
    });
    expect((await runEcom(["dev"], fakes.env)).exitCode).toBe(0);
    expect((await runEcom(["dev", "--local"], fakes.env)).exitCode).toBe(0);
    expect(fakes.calls().map((c) => [c.tool, ...c.argv])).toEqual([
      ["kubectl", "config", "current-context"],
      ["bun", "run", "dev"],
      ["bun", "run", "dev"],
    ]);
  });

  test("a missing skaffold is named with how to install it", async () => {
    const onlyKubectl = createFakeTools(["kubectl"]);
    try {
      onlyKubectl.configure({
        rules: [{ tool: "kubectl", match: "current-context", stdout: "kind-ecom\n" }],
      });
      const result = await runEcom(["dev"], {
        ...onlyKubectl.env,
        PATH: `${onlyKubectl.dir}/bin:/usr/bin:/bin`,
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("skaffold is not installed or not on PATH. Install it:");
    } finally {
      onlyKubectl.cleanup();
    }
  });
});
