import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./run-ecom.ts";

export const SERVICE_NAMES = ["user-service", "product-service", "order-service"] as const;

/** A distinct, valid digest per (tag, service), so tests can tell releases apart in rendered manifests. */
export function digestFor(tag: string, service: string): string {
  return `sha256:${new Bun.CryptoHasher("sha256").update(`${tag}/${service}`).digest("hex")}`;
}

export function imagesFor(tag: string, registry = "ghcr.io/acme"): Record<string, string> {
  return Object.fromEntries(SERVICE_NAMES.map((s) => [s, `${registry}/ecom/${s}@${digestFor(tag, s)}`]));
}

/** The namespace JSON kubectl would print, with release annotations. */
export function namespaceJson(annotations: Record<string, string>): string {
  return JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "ns", annotations } });
}

export function goodReleases(last: string, previous?: string): Record<string, string> {
  return {
    "ecom.dev/current-tag": last,
    "ecom.dev/last-good-tag": last,
    "ecom.dev/last-good-images": JSON.stringify(imagesFor(last)),
    ...(previous
      ? {
          "ecom.dev/previous-good-tag": previous,
          "ecom.dev/previous-good-images": JSON.stringify(imagesFor(previous)),
        }
      : {}),
  };
}

/** A working copy: the real manifests (linked) plus `.ecom/releases/<tag>.json` for the given tags. */
export function createReleaseRoot(tags: string[]): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), "ecom-root-"));
  symlinkSync(join(repoRoot, "manifests"), join(root, "manifests"));
  mkdirSync(join(root, ".ecom", "releases"), { recursive: true });
  for (const tag of tags) {
    writeFileSync(
      join(root, ".ecom", "releases", `${tag}.json`),
      JSON.stringify({ tag, images: imagesFor(tag), pushedAt: "2026-01-01T00:00:00.000Z" }),
    );
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
