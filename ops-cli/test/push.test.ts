import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeTools, type FakeTools } from "./support/fake-tools.ts";
import { digestFor, SERVICE_NAMES } from "./support/release-fixture.ts";
import { runEcom } from "./support/run-ecom.ts";

let fakes: FakeTools;
let root: string;
beforeEach(() => {
  fakes = createFakeTools(["docker", "git"]);
  root = mkdtempSync(join(tmpdir(), "ecom-push-"));
});
afterEach(() => {
  fakes.cleanup();
  rmSync(root, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ ...fakes.env, ECOM_ROOT: root, ...extra });

describe("ecom push", () => {
  test("pushes every image and records the pushed digests for deploy", async () => {
    fakes.configure({
      rules: SERVICE_NAMES.map((s) => ({
        tool: "docker",
        match: `image inspect --format {{json .RepoDigests}} ghcr.io/acme/ecom/${s}:t7`,
        stdout: JSON.stringify([
          `ecom/${s}@${digestFor("local", s)}`,
          `ghcr.io/acme/ecom/${s}@${digestFor("t7", s)}`,
        ]),
      })),
    });
    const result = await runEcom(["push", "--tag", "t7"], env({ ECOM_REGISTRY: "ghcr.io/acme" }));
    expect(result.exitCode).toBe(0);
    expect(fakes.calls("docker").map((c) => c.argv)).toEqual(
      SERVICE_NAMES.flatMap((s) => [
        ["push", `ghcr.io/acme/ecom/${s}:t7`],
        ["image", "inspect", "--format", "{{json .RepoDigests}}", `ghcr.io/acme/ecom/${s}:t7`],
      ]),
    );
    const recorded = JSON.parse(readFileSync(join(root, ".ecom", "releases", "t7.json"), "utf8"));
    expect(recorded.tag).toBe("t7");
    expect(recorded.images).toEqual(
      Object.fromEntries(SERVICE_NAMES.map((s) => [s, `ghcr.io/acme/ecom/${s}@${digestFor("t7", s)}`])),
    );
    expect(result.stdout).toContain(`ghcr.io/acme/ecom/order-service@${digestFor("t7", "order-service")}`);
  });

  test("a failed push stops and records nothing", async () => {
    const result = await runEcom(
      ["push", "--tag", "t7"],
      env({ ECOM_REGISTRY: "ghcr.io/acme", FAKE_DOCKER_FAIL_ON: "push ghcr.io/acme/ecom/product-service" }),
    );
    expect(result.exitCode).toBe(1);
    expect(existsSync(join(root, ".ecom", "releases", "t7.json"))).toBe(false);
  });

  test("without ECOM_REGISTRY it is a usage error naming the variable", async () => {
    const result = await runEcom(["push", "--tag", "t7"], env());
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("set ECOM_REGISTRY");
    expect(fakes.calls()).toEqual([]);
  });

  test("--dry-run prints the pushes and the release file, runs and writes nothing", async () => {
    const result = await runEcom(
      ["push", "--tag", "t7", "--dry-run"],
      env({ ECOM_REGISTRY: "ghcr.io/acme" }),
    );
    expect(result.exitCode).toBe(0);
    expect(fakes.calls()).toEqual([]);
    expect(result.stdout).toContain("[dry-run] $ docker push ghcr.io/acme/ecom/user-service:t7");
    expect(result.stdout).toContain(`[dry-run] write ${join(root, ".ecom", "releases", "t7.json")}`);
    expect(existsSync(join(root, ".ecom"))).toBe(false);
  });
});
