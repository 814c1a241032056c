import { CheckFailed, UsageFailure } from "../failures.ts";
import type { Ops } from "../ops.ts";

const validTag = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The release tag: the one given, else the short git SHA of HEAD. */
export async function resolveTag(ops: Ops, given: string | undefined): Promise<string> {
  if (given !== undefined) {
    if (!validTag.test(given)) throw new UsageFailure(`"${given}" is not a valid image tag`);
    return given;
  }
  const { stdout } = await ops.exec.run(["git", "rev-parse", "--short=12", "HEAD"], {
    capture: true,
    dryRunOutput: "<git-sha>",
  });
  return stdout.trim();
}

/** Refuses a working tree with uncommitted changes: an image must be reproducible from its tag. */
export async function assertCleanTree(ops: Ops): Promise<void> {
  const { stdout } = await ops.exec.run(["git", "status", "--porcelain"], { capture: true });
  const changes = stdout.split("\n").filter((line) => line.trim() !== "");
  if (changes.length > 0) {
    const shown = changes.slice(0, 10).map((line) => `  ${line}`);
    const more = changes.length > 10 ? [`  … and ${changes.length - 10} more`] : [];
    throw new CheckFailed(
      [
        "the working tree has uncommitted changes:",
        ...shown,
        ...more,
        "commit them or pass --allow-dirty",
      ].join("\n"),
    );
  }
}
