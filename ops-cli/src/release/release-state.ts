import { CheckFailed } from "../failures.ts";
import { kubectl } from "../kube/kubectl.ts";
import type { Ops } from "../ops.ts";
import type { Environment } from "../settings/environments.ts";
import { type PinnedImages, parsePinnedImages } from "./pinned-images.ts";

/** Release history kept as annotations on the environment's namespace, so any machine can roll back. */
export const ANNOTATIONS = {
  currentTag: "ecom.dev/current-tag",
  lastGoodTag: "ecom.dev/last-good-tag",
  lastGoodImages: "ecom.dev/last-good-images",
  previousGoodTag: "ecom.dev/previous-good-tag",
  previousGoodImages: "ecom.dev/previous-good-images",
  failedTag: "ecom.dev/failed-tag",
} as const;

export interface Release {
  tag: string;
  images: PinnedImages;
}

export interface ReleaseState {
  currentTag?: string;
  lastGood?: Release;
  previousGood?: Release;
  failedTag?: string;
}

export async function readReleaseState(ops: Ops, environment: Environment): Promise<ReleaseState> {
  const { stdout } = await ops.exec.run(
    kubectl(environment, "get", "namespace", environment.namespace, "-o", "json"),
    {
      capture: true,
      dryRunOutput: "{}",
    },
  );
  let annotations: Record<string, string>;
  try {
    annotations = JSON.parse(stdout)?.metadata?.annotations ?? {};
  } catch {
    throw new CheckFailed(`could not read namespace ${environment.namespace}: kubectl printed no JSON`);
  }
  const release = (tagKey: string, imagesKey: string): Release | undefined => {
    const tag = annotations[tagKey];
    const images = parseJson(annotations[imagesKey]);
    return tag && images ? { tag, images } : undefined;
  };
  const state: ReleaseState = {};
  const current = annotations[ANNOTATIONS.currentTag];
  if (current) state.currentTag = current;
  const lastGood = release(ANNOTATIONS.lastGoodTag, ANNOTATIONS.lastGoodImages);
  if (lastGood) state.lastGood = lastGood;
  const previousGood = release(ANNOTATIONS.previousGoodTag, ANNOTATIONS.previousGoodImages);
  if (previousGood) state.previousGood = previousGood;
  const failed = annotations[ANNOTATIONS.failedTag];
  if (failed) state.failedTag = failed;
  return state;
}

function parseJson(value: string | undefined): PinnedImages | null {
  if (!value) return null;
  try {
    return parsePinnedImages(JSON.parse(value));
  } catch {
    return null;
  }
}

/** Sets (string) or removes (null) namespace annotations in one call. */
export async function annotate(
  ops: Ops,
  environment: Environment,
  values: Partial<Record<keyof typeof ANNOTATIONS, string | null>>,
): Promise<void> {
  const pairs = Object.entries(values).map(([key, value]) => {
    const name = ANNOTATIONS[key as keyof typeof ANNOTATIONS];
    return value === null ? `${name}-` : `${name}=${value}`;
  });
  await ops.exec.run(
    kubectl(environment, "annotate", "namespace", environment.namespace, "--overwrite", ...pairs),
    { capture: true },
  );
}

export function imagesJson(images: PinnedImages): string {
  return JSON.stringify(images);
}
