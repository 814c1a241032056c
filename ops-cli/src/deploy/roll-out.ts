import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { kubectl } from "../kube/kubectl.ts";
import { renderRelease } from "../kube/render.ts";
import type { Ops } from "../ops.ts";
import type { Release } from "../release/release-state.ts";
import type { Environment } from "../settings/environments.ts";
import { SERVICES } from "../settings/services.ts";

/** Renders the overlay with the release's digests and shows what would change in the cluster. */
export async function prepareRelease(ops: Ops, environment: Environment, release: Release): Promise<string> {
  const rendered = await ops.reporter.step(`render ${environment.overlay} with ${release.tag} digests`, () =>
    renderRelease(ops, environment, release.images),
  );
  await ops.reporter.step("diff against the cluster", async () => {
    // kubectl diff exits 1 when there are differences: that is an answer, not a failure.
    await ops.exec.run(
      kubectl(environment, "diff", "--server-side", "--field-manager=ecom", "-f", rendered),
      {
        okExitCodes: [1],
      },
    );
  });
  return rendered;
}

/** Applies server-side, then removes the throw-away render directory (the diff already showed it). */
export async function applyRendered(ops: Ops, environment: Environment, rendered: string, label: string) {
  try {
    await ops.reporter.step(`apply ${label} (server-side)`, async () => {
      await ops.exec.run(
        kubectl(
          environment,
          "apply",
          "--server-side",
          "--field-manager=ecom",
          "--force-conflicts",
          "-f",
          rendered,
        ),
      );
    });
  } finally {
    if (!ops.exec.dryRun) rmSync(dirname(rendered), { recursive: true, force: true });
  }
}

/** Waits for every Deployment's rolling update to finish within the timeout. */
export async function waitForRollouts(ops: Ops, environment: Environment, timeout: string): Promise<void> {
  for (const { name } of SERVICES) {
    await ops.reporter.step(`rollout ${name}`, async () => {
      await ops.exec.run(
        kubectl(
          environment,
          "-n",
          environment.namespace,
          "rollout",
          "status",
          `deployment/${name}`,
          `--timeout=${timeout}`,
        ),
      );
    });
  }
}
