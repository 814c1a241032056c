import { existsSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "clipanion";
import { CheckFailed, UsageFailure } from "../failures.ts";
import type { Ops } from "../ops.ts";
import { imageRepository, isServiceName, SERVICES, type ServiceName } from "../settings/services.ts";
import { assertCleanTree, resolveTag } from "../vcs/git.ts";
import { OpsCommand } from "./ops-command.ts";

export class BuildCommand extends OpsCommand {
  static override paths = [["build"]];
  static override usage = Command.Usage({
    category: "Build",
    description: "Type-check, lint and bundle the code, then build the service images",
    details: `
      Refuses a working tree with uncommitted changes unless \`--allow-dirty\`: an image tag must name a commit.
      Images are \`$ECOM_REGISTRY/ecom/<service>:<tag>\` (tag: the short git SHA of HEAD by default), built with
      \`docker buildx\` from \`apps/<service>/Dockerfile\` with the repository root as context, or with \`skaffold build\`.
    `,
    examples: [
      ["Check and build every image of the current commit", "$0 build"],
      ["Build one image with a given tag", "$0 build --service order-service --tag 1.4.0"],
      ["Only the code checks (CI build job)", "$0 build --skip-images"],
      ["Only the images, with skaffold", "$0 build --skip-checks --builder skaffold"],
    ],
  });

  service = Option.String("--service", { description: "Build only this service's image" });
  tag = Option.String("--tag", { description: "Image tag (default: the short git SHA of HEAD)" });
  allowDirty = Option.Boolean("--allow-dirty", false, {
    description: "Build from a tree with uncommitted changes",
  });
  skipChecks = Option.Boolean("--skip-checks", false, { description: "Skip type-check, lint and bundle" });
  skipImages = Option.Boolean("--skip-images", false, { description: "Skip the image builds" });
  builder = Option.String("--builder", "buildx", {
    description: "Image builder: buildx (default) or skaffold",
  });

  protected summaryTitle(): string {
    return "ecom build";
  }

  protected async run(ops: Ops): Promise<void> {
    const services = this.selectedServices();
    if (this.builder !== "buildx" && this.builder !== "skaffold") {
      throw new UsageFailure(`--builder must be buildx or skaffold, not "${this.builder}"`);
    }
    if (this.allowDirty) ops.reporter.skip("working tree is clean", "--allow-dirty");
    else await ops.reporter.step("working tree is clean", () => assertCleanTree(ops));
    const tag = await resolveTag(ops, this.tag);

    if (this.skipChecks) ops.reporter.skip("type-check, lint, bundle", "--skip-checks");
    else await this.checks(ops, services);

    if (this.skipImages) ops.reporter.skip("images", "--skip-images");
    else if (this.builder === "skaffold") await this.skaffoldImages(ops, tag);
    else await this.buildxImages(ops, services, tag);
  }

  private selectedServices(): ServiceName[] {
    if (this.service === undefined) return SERVICES.map((s) => s.name);
    if (!isServiceName(this.service)) {
      throw new UsageFailure(
        `unknown service "${this.service}": expected ${SERVICES.map((s) => s.name).join(", ")}`,
      );
    }
    return [this.service];
  }

  private async checks(ops: Ops, services: ServiceName[]): Promise<void> {
    await ops.reporter.step("type-check", () => ops.exec.run(["bun", "run", "typecheck"]));
    await ops.reporter.step("lint", () => ops.exec.run(["bun", "run", "lint"]));
    for (const service of services) {
      // Bundling the service's own sources proves every import resolves; packages stay external.
      await ops.reporter.step(`bundle ${service}`, () =>
        ops.exec.run([
          "bun",
          "build",
          `apps/${service}/src/index.ts`,
          "--target=bun",
          "--packages=external",
          `--outdir=.ecom/build/${service}`,
        ]),
      );
    }
  }

  private async buildxImages(ops: Ops, services: ServiceName[], tag: string): Promise<void> {
    for (const service of services) {
      const dockerfile = `apps/${service}/Dockerfile`;
      const image = `${imageRepository(service, ops.env.ECOM_REGISTRY)}:${tag}`;
      await ops.reporter.step(`image ${image}`, async () => {
        if (!ops.exec.dryRun && !existsSync(join(ops.root, dockerfile))) {
          throw new CheckFailed(`${dockerfile} is missing`);
        }
        await ops.exec.run([
          "docker",
          "buildx",
          "build",
          "--file",
          dockerfile,
          "--tag",
          image,
          "--label",
          `org.opencontainers.image.version=${tag}`,
          "--load",
          ".",
        ]);
      });
    }
  }

  private async skaffoldImages(ops: Ops, tag: string): Promise<void> {
    const registry = ops.env.ECOM_REGISTRY;
    await ops.reporter.step(`images with skaffold (tag ${tag})`, () =>
      ops.exec.run([
        "skaffold",
        "build",
        `--tag=${tag}`,
        "--push=false",
        ...(registry ? [`--default-repo=${registry}`] : []),
        ...(this.service ? [`--build-image=ecom/${this.service}`] : []),
        `--file-output=.ecom/build/skaffold-${tag}.json`,
      ]),
    );
  }
}
