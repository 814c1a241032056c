import { CheckFailed, UsageFailure } from "../failures.ts";
import type { Ops } from "../ops.ts";
import type { Environment } from "../settings/environments.ts";

/** Production changes need `--yes` or a typed confirmation; without a terminal only `--yes` will do. */
export function needsConfirmation(ops: Ops, environment: Environment, yes: boolean): boolean {
  return environment.name === "prod" && !yes && !ops.exec.dryRun;
}

/** Checked before anything runs, so a pipeline without `--yes` stops at once. */
export function assertConfirmable(ops: Ops, environment: Environment, yes: boolean): void {
  if (needsConfirmation(ops, environment, yes) && !ops.stdinIsTTY) {
    throw new UsageFailure(
      `refusing to change ${environment.name} without confirmation: no terminal to ask on; pass --yes to confirm`,
    );
  }
}

export function confirm(ops: Ops, environment: Environment, yes: boolean, action: string): void {
  if (!needsConfirmation(ops, environment, yes)) return;
  const answer = ops.ask(`Type "${environment.name}" to ${action}:`);
  if (answer?.trim() !== environment.name) {
    throw new CheckFailed(`confirmation did not match "${environment.name}"; nothing was applied`);
  }
}
