import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { CheckFailed } from "../failures.ts";
import type { Ops } from "../ops.ts";
import { type PinnedImages, splitRef } from "../release/pinned-images.ts";
import type { Environment } from "../settings/environments.ts";
import { SERVICES } from "../settings/services.ts";

/**
 * Renders the environment's overlay with every service image pinned to a digest. The overlay is left as
 * it is: a throw-away kustomization beside it names the overlay as its base and sets the images.
 */
export async function renderRelease(
  ops: Ops,
  environment: Environment,
  images: PinnedImages,
): Promise<string> {
  const overlay = join(ops.root, environment.overlay);
  if (!ops.exec.dryRun && !existsSync(join(overlay, "kustomization.yaml"))) {
    throw new CheckFailed(`${environment.overlay}/kustomization.yaml is missing`);
  }
  const workDir = ops.exec.dryRun
    ? join(tmpdir(), `ecom-render-${environment.name}-XXXXXX`)
    : await mkdtemp(join(tmpdir(), `ecom-render-${environment.name}-`));
  const kustomization = pinningKustomization(
    relative(workDir, overlay),
    images,
    await overlayImageNames(overlay),
  );
  await ops.exec.writeFile(join(workDir, "kustomization.yaml"), kustomization);
  const { stdout } = await ops.exec.run(["kubectl", "kustomize", workDir], { capture: true });
  if (!ops.exec.dryRun) assertPinned(stdout, images);
  const rendered = join(workDir, "rendered.yaml");
  await ops.exec.writeFile(rendered, stdout);
  return rendered;
}

/** The names the overlay gives `ecom/<service>` images (its `images[].newName`), which the pins must match. */
export async function overlayImageNames(overlay: string): Promise<string[]> {
  const file = Bun.file(join(overlay, "kustomization.yaml"));
  if (!(await file.exists())) return [];
  const parsed = Bun.YAML.parse(await file.text()) as {
    images?: { name?: string; newName?: string }[];
  } | null;
  return (parsed?.images ?? [])
    .filter((entry) => SERVICES.some(({ name }) => entry.name === `ecom/${name}`))
    .flatMap((entry) => (entry.newName ? [entry.newName] : []));
}

export function pinningKustomization(
  overlayPath: string,
  images: PinnedImages,
  overlayNames: string[] = [],
): string {
  const entries = SERVICES.flatMap(({ name }) => {
    const { repository, digest } = splitRef(images[name]);
    // The overlay may already have renamed `ecom/<service>`; match the original and every renamed form.
    const renamed = overlayNames.filter((n) => n.endsWith(`ecom/${name}`));
    const names = [...new Set([`ecom/${name}`, ...renamed, repository])];
    return names.map((from) => `  - name: ${from}\n    newName: ${repository}\n    digest: "${digest}"\n`);
  });
  return [
    "apiVersion: kustomize.config.k8s.io/v1beta1",
    "kind: Kustomization",
    "resources:",
    `  - ${overlayPath}`,
    "images:",
    entries.join("").trimEnd(),
    "",
  ].join("\n");
}

/** Every container image of a service must be the pinned digest, or the overlay named it differently. */
export function assertPinned(rendered: string, images: PinnedImages): void {
  for (const { name } of SERVICES) {
    const refs = [...rendered.matchAll(/^\s*-?\s*image:\s*["']?([^"'\s]+)/gm)]
      .map((m) => m[1] ?? "")
      .filter((ref) => ref.includes(`ecom/${name}`));
    if (refs.length === 0)
      throw new CheckFailed(`the rendered manifests have no container image for ${name}`);
    const wrong = refs.find((ref) => ref !== images[name]);
    if (wrong)
      throw new CheckFailed(
        `the rendered manifests use ${wrong} for ${name}, not the pinned ${images[name]}`,
      );
  }
}
