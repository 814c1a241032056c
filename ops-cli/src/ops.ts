import { resolve } from "node:path";
import { createExec, type Exec } from "./exec/exec.ts";
import { createOutput, type Output } from "./report/output.ts";
import { Reporter } from "./report/reporter.ts";

/** Everything a command needs from the outside, built once per invocation and passed in. */
export interface Ops {
  exec: Exec;
  output: Output;
  reporter: Reporter;
  env: Record<string, string | undefined>;
  /** The repository root (ECOM_ROOT overrides, for tests that work on a copy). */
  root: string;
  stdinIsTTY: boolean;
  /** Reads one line typed by the user; null when there is no answer. */
  ask(question: string): string | null;
}

export function createOps(dryRun: boolean): Ops {
  const env = process.env;
  const output = createOutput({
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    env,
  });
  const root = env.ECOM_ROOT ? resolve(env.ECOM_ROOT) : resolve(import.meta.dir, "../..");
  return {
    exec: createExec({ dryRun, output, env, cwd: root }),
    output,
    reporter: new Reporter(output),
    env,
    root,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    ask: (question) => prompt(question),
  };
}
