import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { shellQuote } from "../src/exec/quote.ts";
import { repoRoot } from "./support/run-ecom.ts";

/** Runs ecom on a pseudo-terminal (util-linux `script`), where colours are allowed. */
async function onTerminal(env: Record<string, string | undefined>): Promise<string> {
  const command = shellQuote([
    process.execPath,
    join(repoRoot, "ops-cli/src/main.ts"),
    "smoke",
    "local",
    "--dry-run",
  ]);
  const proc = Bun.spawn(["script", "-qec", command, "/dev/null"], {
    cwd: repoRoot,
    env: env as Record<string, string>,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  return output;
}

describe("colours", () => {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "NO_COLOR"));

  test("are used on a terminal", async () => {
    expect(await onTerminal({ ...base, TERM: "xterm" })).toContain("\u001b[");
  });

  test("are never used with NO_COLOR, even on a terminal", async () => {
    const output = await onTerminal({ ...base, TERM: "xterm", NO_COLOR: "1" });
    expect(output).toContain("Summary: ecom smoke local");
    expect(output).not.toContain("\u001b[");
  });
});
