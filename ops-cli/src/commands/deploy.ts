import { Command, Option } from "clipanion";
import { assertConfirmable, confirm } from "../deploy/confirmation.ts";
import { applyRendered, prepareRelease, waitForRollouts } from "../deploy/roll-out.ts";
import { parseTimeout } from "../deploy/timeout.ts";
import { CheckFailed } from "../failures.ts";
import { assertKubeContext } from "../kube/context-check.ts";
import { renderRelease } from "../kube/render.ts";
import type { Ops } from "../ops.ts";
import { readReleaseFile } from "../release/release-file.ts";
import { annotate, imagesJson, type Release, readReleaseState } from "../release/release-state.ts";
import { type Environment, resolveEnvironment } from "../settings/environments.ts";
import { runSmokeSuite, smokeOptions } from "../smoke/smoke-suite.ts";
import { openSmokeTarget } from "../smoke/smoke-target.ts";
import { resolveTag } from "../vcs/git.ts";
import { OpsCommand } from "./ops-command.ts";

export class DeployCommand extends OpsCommand {
  static override paths = [["deploy"]];
  static override usage = Command.Usage({
    category: "Release",
    description: "Deploy a pushed release to staging or prod, verify it, and roll back on failure",
    details: `
      Checks that the current kube context is the environment's (ECOM_KUBE_CONTEXT_STAGING / ECOM_KUBE_CONTEXT_PROD,
      default \`staging\` / \`production\`), renders the overlay with the image digests \`ecom push\` recorded for the tag,
      shows a diff, applies it server-side, waits for every rollout, then runs the smoke suite (through port-forwards,
      or ECOM_SMOKE_URL_STAGING / ECOM_SMOKE_URL_PROD when set).

      Any failure after the apply rolls back to the environment's last good release and exits 1. Success records the
      tag as last good (and the one before it as previous good) in namespace annotations.

      prod only takes a tag that is staging's last good release, and asks you to type \`prod\` unless \`--yes\` is given;
      without a terminal it refuses unless \`--yes\` is given.
    `,
    examples: [
      ["Deploy the current commit's images to staging", "$0 deploy staging"],
      ["Promote a tag to production without a prompt (CI)", "$0 deploy prod --tag 3f2c1ab9d0e4 --yes"],
      ["Show the plan only", "$0 deploy staging --tag 3f2c1ab9d0e4 --dry-run"],
    ],
  });

  environment = Option.String({ name: "staging|prod" });
  tag = Option.String("--tag", { description: "Release tag (default: the short git SHA of HEAD)" });
  timeout = Option.String("--timeout", "5m", {
    description: "How long each rollout may take (e.g. 90s, 5m)",
  });
  yes = Option.Boolean("--yes", false, { description: "Confirm a production deploy without a prompt" });

  protected summaryTitle(): string {
    return `ecom deploy ${this.environment}`;
  }

  protected async run(ops: Ops): Promise<void> {
    const environment = resolveEnvironment(this.environment, ops.env);
    const timeout = parseTimeout(this.timeout);
    assertConfirmable(ops, environment, this.yes);
    const tag = await resolveTag(ops, this.tag);

    await ops.reporter.step(`kube context is ${environment.kubeContext}`, () =>
      assertKubeContext(ops, environment),
    );
    const state = await ops.reporter.step(`read ${environment.namespace} release history`, () =>
      readReleaseState(ops, environment),
    );
    if (environment.name === "prod") await assertStagingVerified(ops, tag);
    const release: Release = { tag, images: await readReleaseFile(ops, tag) };

    const rendered = await prepareRelease(ops, environment, release);
    confirm(ops, environment, this.yes, `deploy ${tag} to ${environment.namespace}`);
    if (ops.exec.dryRun) {
      ops.output.plan(
        `if the apply, a rollout or a smoke check fails: apply ${state.lastGood?.tag ?? "the last good release"} again, wait, exit 1`,
      );
    }
    // From the apply on, the cluster may hold part of this release: every failure rolls back.
    try {
      await applyRendered(ops, environment, rendered, tag);
      await annotate(ops, environment, { currentTag: tag });
      await waitForRollouts(ops, environment, timeout);
      await smoke(ops, environment);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      try {
        await rollBackAfterFailure(ops, environment, state.lastGood, tag, timeout);
      } catch (rollbackError) {
        const why =
          rollbackError instanceof Error ? rollbackError.message.split("\n")[0] : String(rollbackError);
        throw new CheckFailed(
          `deploy of ${tag} to ${environment.name} failed (${reason}), and so did the rollback: ${why}`,
        );
      }
      throw new CheckFailed(
        `deploy of ${tag} to ${environment.name} failed (${reason}); rolled back to ${state.lastGood?.tag}`,
      );
    }

    await ops.reporter.step(`record ${tag} as last good`, () =>
      annotate(ops, environment, {
        currentTag: tag,
        lastGoodTag: tag,
        lastGoodImages: imagesJson(release.images),
        ...(state.lastGood && state.lastGood.tag !== tag
          ? { previousGoodTag: state.lastGood.tag, previousGoodImages: imagesJson(state.lastGood.images) }
          : {}),
        failedTag: null,
      }),
    );
  }
}

/** Production takes only what passed staging: the tag must be staging's last good release. */
async function assertStagingVerified(ops: Ops, tag: string): Promise<void> {
  const staging = resolveEnvironment("staging", ops.env);
  await ops.reporter.step(`${tag} is staging's last good release`, async () => {
    const stagingState = await readReleaseState(ops, staging);
    if (ops.exec.dryRun) return;
    const lastGood = stagingState.lastGood?.tag;
    if (lastGood !== tag) {
      throw new CheckFailed(
        `prod only takes staging's last good release; staging's is ${lastGood ?? "not recorded"}, not ${tag}`,
      );
    }
  });
}

async function smoke(ops: Ops, environment: Environment): Promise<void> {
  const opened = await ops.reporter.step("open smoke target", () => openSmokeTarget(ops, environment.name));
  try {
    await runSmokeSuite(ops, opened.target, smokeOptions(ops.env));
  } finally {
    await opened.close();
  }
}

async function rollBackAfterFailure(
  ops: Ops,
  environment: Environment,
  lastGood: Release | undefined,
  failedTag: string,
  timeout: string,
): Promise<void> {
  if (!lastGood) {
    throw new CheckFailed(
      `deploy of ${failedTag} failed and ${environment.namespace} has no last good release recorded to roll back to`,
    );
  }
  ops.output.err(ops.output.paint("yellow", `rolling back ${environment.name} to ${lastGood.tag}`));
  const rendered = await ops.reporter.step(`rollback: render ${lastGood.tag}`, () =>
    renderRelease(ops, environment, lastGood.images),
  );
  await applyRendered(ops, environment, rendered, `rollback to ${lastGood.tag}`);
  await annotate(ops, environment, { currentTag: lastGood.tag, failedTag });
  await waitForRollouts(ops, environment, timeout);
}
