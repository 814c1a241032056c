import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundleCommand, readServiceDockerfile } from "./dockerfile.ts";
import { repoRoot, services } from "./kustomize.ts";

/** Tags with a version, or a digest; never a floating `latest`. */
const pinned = /^[\w./-]+(:[\w.-]*\d[\w.-]*)(@sha256:[0-9a-f]{64})?$|^[\w./-]+@sha256:[0-9a-f]{64}$/;

describe("service Dockerfiles", () => {
  for (const svc of services) {
    describe(svc.name, () => {
      const stages = readServiceDockerfile(svc.name);
      const runtime = stages.at(-1)!;
      const all = stages.flatMap((s) => s.instructions);

      test("multi-stage on the official Bun image, every base image pinned", () => {
        expect(stages.map((s) => s.name)).toEqual(["workspace-manifests", "build", "dev", "runtime"]);
        for (const s of stages.slice(0, 3)) expect(s.image).toBe("oven/bun:1.4.5");
        // The runtime stage runs the bundle on the same Bun version that built it.
        expect(runtime.image).toBe("oven/bun:1.4.5-distroless");
        for (const s of stages) {
          expect(s.image).toMatch(pinned);
          expect(s.image).not.toContain(":latest");
        }
      });

      test("dependencies come from the lockfile only, after every workspace package.json is in place", () => {
        const manifests = stages[0]!.instructions.map((i) => `${i.keyword} ${i.args}`).join("\n");
        expect(manifests).toContain("! -name package.json ! -name bun.lock ! -name bunfig.toml -delete");
        const build = stages[1]!.instructions.map((i) => `${i.keyword} ${i.args}`);
        expect(build.indexOf("COPY --from=workspace-manifests /src ./")).toBeLessThan(
          build.indexOf("RUN bun install --frozen-lockfile --production --ignore-scripts"),
        );
        expect(
          build.indexOf("RUN bun install --frozen-lockfile --production --ignore-scripts"),
        ).toBeGreaterThan(-1);
        for (const i of all.filter((i) => i.args.includes("bun install"))) {
          expect(i.args).toContain("--frozen-lockfile");
        }
      });

      test("the build bundles the service's src/index.ts for the Bun runtime", () => {
        const cmd = bundleCommand(stages);
        expect(cmd.slice(0, 3)).toEqual(["bun", "build", `apps/${svc.name}/src/index.ts`]);
        expect(cmd).toContain("--target=bun");
        expect(cmd[cmd.indexOf("--outdir") + 1]).toBe("/out");
      });

      test("the runtime stage: only the bundle, non-root, no HEALTHCHECK", () => {
        const copies = runtime.instructions.filter((i) => i.keyword === "COPY");
        expect(copies.map((c) => c.args)).toEqual(["--from=build /out/ /app/"]);
        const user = runtime.instructions.filter((i) => i.keyword === "USER").at(-1)?.args ?? "";
        const uid = Number(user.split(":")[0]);
        expect(uid).toBeGreaterThanOrEqual(10000);
        expect(runtime.instructions.find((i) => i.keyword === "ENTRYPOINT")?.args).toBe(
          '["bun", "/app/index.js"]',
        );
        expect(runtime.instructions.find((i) => i.keyword === "EXPOSE")?.args).toBe(String(svc.port));
        expect(all.filter((i) => i.keyword === "HEALTHCHECK")).toEqual([]);
        expect(
          stages
            .filter((s) => s.name === "dev")
            .flatMap((s) => s.instructions)
            .find((i) => i.keyword === "USER")?.args,
        ).toBe("65532:65532");
      });

      test("the expected image size is written down", () => {
        const text = readFileSync(join(repoRoot, "apps", svc.name, "Dockerfile"), "utf8");
        expect(text).toMatch(/Expected size: ~\d+ MB/);
      });
    });
  }
});

describe(".dockerignore", () => {
  const rules = readFileSync(join(repoRoot, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));

  test("keeps secrets, local state and installed dependencies out of the build context", () => {
    for (const rule of [".env", ".env.*", "**/*.pem", "**/*.key", "**/node_modules", "**/.data", ".git"]) {
      expect(rules).toContain(rule);
    }
  });

  test("keeps the lockfile and the package manifests in", () => {
    for (const rule of rules) {
      expect(rule).not.toMatch(/bun\.lock|package\.json|bunfig\.toml/);
    }
  });
});
