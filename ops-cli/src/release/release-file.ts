import { join } from "node:path";
import { CheckFailed } from "../failures.ts";
import type { Ops } from "../ops.ts";
import { imageRepository, SERVICES } from "../settings/services.ts";
import { type PinnedImages, parsePinnedImages } from "./pinned-images.ts";

/** `.ecom/releases/<tag>.json`: the digests `ecom push` recorded, which `ecom deploy` pins. */
export function releaseFilePath(root: string, tag: string): string {
  return join(root, ".ecom", "releases", `${tag}.json`);
}

export async function writeReleaseFile(ops: Ops, tag: string, images: PinnedImages): Promise<string> {
  const path = releaseFilePath(ops.root, tag);
  await ops.exec.writeFile(
    path,
    `${JSON.stringify({ tag, images, pushedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  return path;
}

export async function readReleaseFile(ops: Ops, tag: string): Promise<PinnedImages> {
  const path = releaseFilePath(ops.root, tag);
  const file = Bun.file(path);
  if (!(await file.exists())) {
    if (ops.exec.dryRun) return placeholderImages(ops, tag);
    throw new CheckFailed(
      `no pinned digests for tag ${tag} (${path} is missing); run \`ecom push --tag ${tag}\` first`,
    );
  }
  const images = parsePinnedImages((await file.json()).images);
  if (!images) throw new CheckFailed(`${path} does not hold a digest for every service`);
  return images;
}

/** In a dry run without a release file the plan still shows where each digest goes. */
function placeholderImages(ops: Ops, tag: string): PinnedImages {
  const images: Partial<PinnedImages> = {};
  for (const { name } of SERVICES) {
    images[name] = `${imageRepository(name, ops.env.ECOM_REGISTRY)}@sha256:<digest of ${tag} from ecom push>`;
  }
  return images as PinnedImages;
}
