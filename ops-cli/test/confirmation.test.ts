import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { shellQuote } from "../src/exec/quote.ts";
import { createFakeTools, type FakeTools } from "./support/fake-tools.ts";
import { createReleaseRoot, goodReleases, namespaceJson } from "./support/release-fixture.ts";
import { repoRoot } from "./support/run-ecom.ts";

let fakes: FakeTools;
let release: ReturnType<typeof createReleaseRoot>;
beforeEach(() => {
  fakes = createFakeTools(["kubectl"]);
  release = createReleaseRoot(["v2"]);
  fakes.configure({
    rules: [
      { tool: "kubectl", match: "config current-context", stdout: "production\n" },
      { tool: "kubectl", match: "get namespace production", stdout: namespaceJson(goodReleases("v1")) },
      { tool: "kubectl", match: "get namespace staging", stdout: namespaceJson(goodReleases("v2", "v1")) },
    ],
  });
});
afterEach(() => {
  fakes.cleanup();
  release.cleanup();
});

/** Runs `ecom deploy prod` on a pseudo-terminal (util-linux `script`) and types `answer` at the prompt. */
async function deployProdTyping(answer: string): Promise<{ exitCode: number; output: string }> {
  const command = shellQuote([
    process.execPath,
    join(repoRoot, "ops-cli/src/main.ts"),
    "deploy",
    "prod",
    "--tag",
    "v2",
  ]);
  const proc = Bun.spawn(["script", "-qec", command, "/dev/null"], {
    cwd: repoRoot,
    env: { ...process.env, ...fakes.env, ECOM_ROOT: release.root, NO_COLOR: "1" },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  let output = "";
  const reader = (async () => {
    const decoder = new TextDecoder();
    const stream = proc.stdout.getReader();
    for (let chunk = await stream.read(); !chunk.done; chunk = await stream.read()) {
      output += decoder.decode(chunk.value);
      if (output.includes('Type "prod"') && !output.includes("\u0000typed")) {
        output += "\u0000typed";
        proc.stdin.write(`${answer}\n`);
        proc.stdin.flush();
      }
    }
  })();
  const exitCode = await proc.exited;
  await reader;
  return { exitCode, output };
}

describe("production confirmation on a terminal", () => {
  test("typing the environment name deploys", async () => {
    const result = await deployProdTyping("prod");
    expect(result.output).toContain('Type "prod" to deploy v2 to production');
    expect(result.exitCode).toBe(0);
    expect(fakes.calls("kubectl").some((c) => c.argv.includes("apply"))).toBe(true);
  });

  test("any other answer applies nothing and exits 1", async () => {
    const result = await deployProdTyping("yes");
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain("confirmation did not match");
    expect(fakes.calls("kubectl").some((c) => c.argv.includes("apply"))).toBe(false);
  });
});
