import { SERVICES, type ServiceName } from "../settings/services.ts";

/** Full image references with digests (`repo@sha256:…`), one per service: what a release deploys. */
export type PinnedImages = Record<ServiceName, string>;

const digestRef = /^[^@\s]+@sha256:[0-9a-f]{64}$/;

export function parsePinnedImages(value: unknown): PinnedImages | null {
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  const images: Partial<PinnedImages> = {};
  for (const { name } of SERVICES) {
    const ref = record[name];
    if (typeof ref !== "string" || !digestRef.test(ref)) return null;
    images[name] = ref;
  }
  return images as PinnedImages;
}

/** Splits `repo@sha256:…` into its repository and digest. */
export function splitRef(ref: string): { repository: string; digest: string } {
  const at = ref.lastIndexOf("@");
  return { repository: ref.slice(0, at), digest: ref.slice(at + 1) };
}
