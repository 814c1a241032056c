import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createFakeTools, type FakeTools } from "./support/fake-tools.ts";
import { runEcom } from "./support/run-ecom.ts";

let fakes: FakeTools;
beforeEach(() => {
  fakes = createFakeTools(["git", "bun", "docker", "skaffold"]);
});
afterEach(() => fakes.cleanup());

const clean = (extra: object[] = []) =>
  fakes.configure({
    rules: [
      { tool: "git", match: "status --porcelain", stdout: "" },
      { tool: "git", match: "rev-parse", stdout: "3f2c1ab9d0e4\n" },
      ...(extra as never[]),
    ],
  });

describe("ecom build", () => {
  test("refuses a dirty tree without --allow-dirty, naming the changes", async () => {
    fakes.configure({
      rules: [{ tool: "git", match: "status --porcelain", stdout: " M apps/user-service/src/app.ts\n" }],
    });
    const result = await runEcom(["build"], fakes.env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("uncommitted changes");
    expect(result.stderr).toContain("M apps/user-service/src/app.ts");
    expect(result.stderr).toContain("--allow-dirty");
    expect(fakes.calls().map((c) => [c.tool, ...c.argv])).toEqual([["git", "status", "--porcelain"]]);
  });

  test("checks then builds every image tagged with the git SHA under ECOM_REGISTRY", async () => {
    clean();
    const result = await runEcom(["build"], { ...fakes.env, ECOM_REGISTRY: "ghcr.io/acme" });
    expect(result.exitCode).toBe(0);
    const image = (s: string) => [
      "docker",
      "buildx",
      "build",
      "--file",
      `apps/${s}/Dockerfile`,
      "--tag",
      `ghcr.io/acme/ecom/${s}:3f2c1ab9d0e4`,
      "--label",
      "org.opencontainers.image.version=3f2c1ab9d0e4",
      "--load",
      ".",
    ];
    const bundle = (s: string) => [
      "bun",
      "build",
      `apps/${s}/src/index.ts`,
      "--target=bun",
      "--packages=external",
      `--outdir=.ecom/build/${s}`,
    ];
    expect(fakes.calls().map((c) => [c.tool, ...c.argv])).toEqual([
      ["git", "status", "--porcelain"],
      ["git", "rev-parse", "--short=12", "HEAD"],
      ["bun", "run", "typecheck"],
      ["bun", "run", "lint"],
      bundle("user-service"),
      bundle("product-service"),
      bundle("order-service"),
      image("user-service"),
      image("product-service"),
      image("order-service"),
    ]);
  });

  test("--allow-dirty, --service, --tag and --skip-checks narrow the plan", async () => {
    clean();
    const result = await runEcom(
      ["build", "--allow-dirty", "--service", "order-service", "--tag", "1.4.0", "--skip-checks"],
      fakes.env,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("working tree is clean (skipped: --allow-dirty)");
    expect(fakes.calls().map((c) => [c.tool, ...c.argv.slice(0, 6)])).toEqual([
      [
        "docker",
        "buildx",
        "build",
        "--file",
        "apps/order-service/Dockerfile",
        "--tag",
        "ecom/order-service:1.4.0",
      ],
    ]);
  });

  test("--builder skaffold builds through skaffold", async () => {
    clean();
    const result = await runEcom(["build", "--skip-checks", "--builder", "skaffold", "--tag", "t1"], {
      ...fakes.env,
      ECOM_REGISTRY: "ghcr.io/acme",
    });
    expect(result.exitCode).toBe(0);
    expect(fakes.calls("skaffold").map((c) => c.argv)).toEqual([
      [
        "build",
        "--tag=t1",
        "--push=false",
        "--default-repo=ghcr.io/acme",
        "--file-output=.ecom/build/skaffold-t1.json",
      ],
    ]);
  });

  test("a failing type-check stops the build before any image", async () => {
    clean([{ tool: "bun", match: "run typecheck", exitCode: 2, stderr: "error TS2345\n" }]);
    const result = await runEcom(["build"], fakes.env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("`bun run typecheck` exited with 2");
    expect(fakes.calls("docker")).toEqual([]);
  });

  test("--dry-run prints the plan and runs nothing", async () => {
    const result = await runEcom(["build", "--dry-run"], fakes.env);
    expect(result.exitCode).toBe(0);
    expect(fakes.calls()).toEqual([]);
    expect(result.stdout).toContain("[dry-run] $ git status --porcelain");
    expect(result.stdout).toContain(
      "[dry-run] $ docker buildx build --file apps/user-service/Dockerfile --tag 'ecom/user-service:<git-sha>'",
    );
  });

  test("an unknown service or builder is a usage error", async () => {
    expect((await runEcom(["build", "--service", "cart-service"], fakes.env)).exitCode).toBe(2);
    expect((await runEcom(["build", "--builder", "kaniko"], fakes.env)).exitCode).toBe(2);
  });
});
