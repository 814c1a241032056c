import { setDefaultTimeout } from "bun:test";
import { join } from "node:path";

// Each test spawns the CLI and several fake tools (or real semgrep/kubectl): far above the 5 s default on a busy machine.
setDefaultTimeout(60_000);

export const repoRoot = join(import.meta.dir, "..", "..", "..");
const main = join(repoRoot, "ops-cli", "src", "main.ts");

export interface EcomResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `ecom` as an engineer would, as its own process, without a terminal and without colours. */
export async function runEcom(
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<EcomResult> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("ECOM_") && !key.startsWith("FAKE_")),
  );
  const proc = Bun.spawn([process.execPath, main, ...args], {
    cwd: repoRoot,
    // One try per smoke check unless a test asks for retries: failures are then immediate.
    env: { ...base, NO_COLOR: "1", ECOM_SMOKE_ATTEMPTS: "1", ...env },
    stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, stdout, stderr };
}
