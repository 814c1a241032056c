import { Command, Option } from "clipanion";
import { assertConfirmable, confirm } from "../deploy/confirmation.ts";
import { applyRendered, prepareRelease, waitForRollouts } from "../deploy/roll-out.ts";
import { parseTimeout } from "../deploy/timeout.ts";
import { CheckFailed } from "../failures.ts";
import { assertKubeContext } from "../kube/context-check.ts";
import type { Ops } from "../ops.ts";
import { readReleaseFile } from "../release/release-file.ts";
import {
  annotate,
  imagesJson,
  type Release,
  type ReleaseState,
  readReleaseState,
} from "../release/release-state.ts";
import { resolveEnvironment } from "../settings/environments.ts";
import { OpsCommand } from "./ops-command.ts";

export class RollbackCommand extends OpsCommand {
  static override paths = [["rollback"]];
  static override usage = Command.Usage({
    category: "Release",
    description: "Put an environment back on an earlier release",
    details: `
      Without \`--to\`, goes back to the previous good release recorded on the namespace. With \`--to TAG\`, deploys
      that tag (its digests come from the namespace record, else from \`.ecom/releases/TAG.json\`). The context check,
      diff, server-side apply and rollout wait are the same as \`ecom deploy\`; prod asks for confirmation unless \`--yes\`.
    `,
    examples: [
      ["Go back to the previous good release in staging", "$0 rollback staging"],
      ["Put prod on a given tag without a prompt", "$0 rollback prod --to 3f2c1ab9d0e4 --yes"],
    ],
  });

  environment = Option.String({ name: "staging|prod" });
  to = Option.String("--to", { description: "Tag to roll back to (default: the previous good release)" });
  timeout = Option.String("--timeout", "5m", { description: "How long each rollout may take" });
  yes = Option.Boolean("--yes", false, { description: "Confirm a production rollback without a prompt" });

  protected summaryTitle(): string {
    return `ecom rollback ${this.environment}`;
  }

  protected async run(ops: Ops): Promise<void> {
    const environment = resolveEnvironment(this.environment, ops.env);
    const timeout = parseTimeout(this.timeout);
    assertConfirmable(ops, environment, this.yes);
    await ops.reporter.step(`kube context is ${environment.kubeContext}`, () =>
      assertKubeContext(ops, environment),
    );
    const state = await ops.reporter.step(`read ${environment.namespace} release history`, () =>
      readReleaseState(ops, environment),
    );
    const target = await this.target(ops, state);
    const rendered = await prepareRelease(ops, environment, target);
    confirm(ops, environment, this.yes, `roll ${environment.namespace} back to ${target.tag}`);
    await applyRendered(ops, environment, rendered, `rollback to ${target.tag}`);
    await annotate(ops, environment, { currentTag: target.tag });
    await waitForRollouts(ops, environment, timeout);
    const leaving = state.lastGood && state.lastGood.tag !== target.tag ? state.lastGood.tag : undefined;
    await ops.reporter.step(`record ${target.tag} as last good`, () =>
      annotate(ops, environment, {
        lastGoodTag: target.tag,
        lastGoodImages: imagesJson(target.images),
        // The release we left is no longer trusted, and nothing older is known to be good.
        previousGoodTag: null,
        previousGoodImages: null,
        ...(leaving ? { failedTag: leaving } : {}),
      }),
    );
  }

  private async target(ops: Ops, state: ReleaseState): Promise<Release> {
    if (this.to === undefined) {
      if (state.previousGood) return state.previousGood;
      if (ops.exec.dryRun)
        return { tag: "<previous-good-tag>", images: await readReleaseFile(ops, "<previous-good-tag>") };
      throw new CheckFailed(
        `no previous good release is recorded for ${this.environment}; name one with --to TAG`,
      );
    }
    const known = [state.lastGood, state.previousGood].find((release) => release?.tag === this.to);
    return known ?? { tag: this.to, images: await readReleaseFile(ops, this.to) };
  }
}
