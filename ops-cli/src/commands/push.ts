import { Command, Option } from "clipanion";
import { CheckFailed, UsageFailure } from "../failures.ts";
import type { Ops } from "../ops.ts";
import type { PinnedImages } from "../release/pinned-images.ts";
import { writeReleaseFile } from "../release/release-file.ts";
import { imageRepository, SERVICES } from "../settings/services.ts";
import { resolveTag } from "../vcs/git.ts";
import { OpsCommand } from "./ops-command.ts";

export class PushCommand extends OpsCommand {
  static override paths = [["push"]];
  static override usage = Command.Usage({
    category: "Release",
    description: "Push every service image and record their digests for `ecom deploy`",
    details: `
      Pushes \`$ECOM_REGISTRY/ecom/<service>:<tag>\` (built by \`ecom build\`) and writes the pushed digests to
      \`.ecom/releases/<tag>.json\`, which \`ecom deploy\` pins in the manifests. Log in to the registry first
      (\`docker login\`).
    `,
    examples: [
      ["Push the images of the current commit", "ECOM_REGISTRY=ghcr.io/acme $0 push"],
      ["Push a given tag", "ECOM_REGISTRY=ghcr.io/acme $0 push --tag 3f2c1ab9d0e4"],
    ],
  });

  tag = Option.String("--tag", { description: "Image tag (default: the short git SHA of HEAD)" });

  protected summaryTitle(): string {
    return "ecom push";
  }

  protected async run(ops: Ops): Promise<void> {
    const registry = ops.env.ECOM_REGISTRY;
    if (!registry)
      throw new UsageFailure("set ECOM_REGISTRY to the registry prefix to push to, e.g. ghcr.io/acme");
    const tag = await resolveTag(ops, this.tag);
    const images: Partial<PinnedImages> = {};
    for (const { name } of SERVICES) {
      const repository = imageRepository(name, registry);
      images[name] = await ops.reporter.step(`push ${repository}:${tag}`, () =>
        pushImage(ops, repository, tag),
      );
    }
    const path = await ops.reporter.step(`record digests of ${tag}`, () =>
      writeReleaseFile(ops, tag, images as PinnedImages),
    );
    if (!ops.exec.dryRun) {
      for (const ref of Object.values(images)) ops.output.out(ref);
      ops.reporter.note(`digests recorded in ${path}`);
    }
  }
}

async function pushImage(ops: Ops, repository: string, tag: string): Promise<string> {
  await ops.exec.run(["docker", "push", `${repository}:${tag}`]);
  const { stdout } = await ops.exec.run(
    ["docker", "image", "inspect", "--format", "{{json .RepoDigests}}", `${repository}:${tag}`],
    { capture: true, dryRunOutput: JSON.stringify([`${repository}@sha256:<pushed digest>`]) },
  );
  const digests: unknown = JSON.parse(stdout || "[]");
  const ref = Array.isArray(digests)
    ? digests.find((d): d is string => typeof d === "string" && d.startsWith(`${repository}@sha256:`))
    : undefined;
  if (!ref) throw new CheckFailed(`docker reports no pushed digest for ${repository}:${tag}`);
  return ref;
}
