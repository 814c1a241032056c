import { Command, Option } from "clipanion";
import { CheckFailed, EXIT, UsageFailure } from "../failures.ts";
import { createOps, type Ops } from "../ops.ts";

/** Shared behaviour: `--dry-run`, exit codes (0 ok, 1 failed check, 2 usage) and the final summary. */
export abstract class OpsCommand extends Command {
  dryRun = Option.Boolean("--dry-run", false, {
    description: "Print every external command and request it would make, and run none of them",
  });

  protected abstract run(ops: Ops): Promise<void>;

  /** The title of the final summary line. */
  protected abstract summaryTitle(): string;

  async execute(): Promise<number> {
    const ops = createOps(this.dryRun);
    if (this.dryRun) ops.output.out(`Plan for ${this.summaryTitle()} (dry run: nothing is executed):`);
    let exitCode: number = EXIT.ok;
    try {
      await this.run(ops);
    } catch (error) {
      exitCode = reportFailure(ops, error);
    }
    ops.reporter.summary(`${this.summaryTitle()}${this.dryRun ? " (dry run)" : ""}`, exitCode);
    return exitCode;
  }
}

function reportFailure(ops: Ops, error: unknown): number {
  const { paint } = ops.output;
  if (error instanceof UsageFailure) {
    ops.output.err(paint("red", `usage error: ${error.message}`));
    return error.exitCode;
  }
  if (error instanceof CheckFailed) {
    ops.output.err(paint("red", `error: ${error.message}`));
    return error.exitCode;
  }
  ops.output.err(
    paint(
      "red",
      `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    ),
  );
  return EXIT.failed;
}
