import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { readServiceDockerfile } from "./dockerfile.ts";
import { parseObjects, renderYaml, repoRoot } from "./kustomize.ts";

/**
 * skaffold itself cannot be installed here, so its configuration is checked the way skaffold reads it:
 * a profile's fields override the top-level ones, then its JSON patches apply; every artifact must build
 * from an existing Dockerfile (and target), and every rendered ecom image must be one skaffold builds,
 * so that its built tags replace them.
 */
type Artifact = {
  image: string;
  context: string;
  docker: { dockerfile: string; target?: string };
  sync?: { manual: { src: string; dest: string }[] };
};
type Pipeline = {
  build: { artifacts: Artifact[]; local?: { push?: boolean } };
  manifests: { kustomize: { paths: string[] } };
  portForward?: {
    resourceType: string;
    resourceName: string;
    namespace: string;
    port: number;
    localPort: number;
  }[];
};
type Profile = Partial<Pipeline> & {
  name: string;
  activation?: { command: string }[];
  patches?: { op: string; path: string; value: unknown }[];
};
type Config = Pipeline & { apiVersion: string; kind: string; profiles: Profile[] };

const config = Bun.YAML.parse(readFileSync(join(repoRoot, "skaffold.yaml"), "utf8")) as Config;

function effective(profileName?: string): Pipeline {
  const base: Pipeline = structuredClone({ build: config.build, manifests: config.manifests });
  const profile = config.profiles.find((p) => p.name === profileName);
  if (!profileName) return base;
  if (!profile) throw new Error(`no profile ${profileName}`);
  const merged: Pipeline = {
    build: {
      artifacts: profile.build?.artifacts?.length ? profile.build.artifacts : base.build.artifacts,
      local: profile.build?.local ?? base.build.local,
    },
    manifests: profile.manifests ?? base.manifests,
    ...(profile.portForward ? { portForward: profile.portForward } : {}),
  };
  for (const patch of profile.patches ?? []) {
    expect(patch.op).toBe("replace");
    const keys = patch.path.split("/").slice(1);
    // biome-ignore lint/suspicious/noExplicitAny: walking a JSON pointer through the parsed config
    let node: any = merged;
    for (const key of keys.slice(0, -1)) node = node[key];
    const last = keys.at(-1)!;
    if (node?.[last] === undefined) throw new Error(`patch path ${patch.path} does not exist`);
    node[last] = patch.value;
  }
  return merged;
}

const imageName = (image: string) => image.replace(/[:@][^/]*$/, "");

describe("skaffold.yaml", () => {
  test("v4 schema, three artifacts built from their Dockerfiles with the workspace as context", () => {
    expect(config.apiVersion).toBe("skaffold/v4beta13");
    expect(config.kind).toBe("Config");
    expect(config.build.artifacts.map((a) => a.image)).toEqual([
      "ecom/user-service",
      "ecom/product-service",
      "ecom/order-service",
    ]);
    for (const a of config.build.artifacts) {
      expect(a.context).toBe(".");
      expect(existsSync(join(repoRoot, a.docker.dockerfile))).toBe(true);
    }
    expect(config.profiles.map((p) => p.name)).toEqual(["dev", "staging", "prod"]);
  });

  for (const profile of [undefined, "dev", "staging", "prod"]) {
    test(`${profile ?? "no profile"}: manifests render and every ecom image is an artifact skaffold builds`, async () => {
      const pipeline = effective(profile);
      const artifacts = new Set(pipeline.build.artifacts.map((a) => a.image));
      const rendered = new Set<string>();
      for (const path of pipeline.manifests.kustomize.paths) {
        const objects = parseObjects(
          await renderYaml(relative(join(repoRoot, "manifests"), join(repoRoot, path))),
        );
        for (const o of objects) {
          for (const c of o.spec?.template?.spec?.containers ?? []) {
            if (/(^|\/)ecom\//.test(c.image)) rendered.add(imageName(c.image));
          }
        }
      }
      expect([...rendered].sort()).toEqual([...artifacts].sort());
    });
  }

  test("staging and prod push; dev builds locally", () => {
    expect(effective("staging").build.local?.push).toBe(true);
    expect(effective("prod").build.local?.push).toBe(true);
    expect(effective("dev").build.local?.push).toBe(false);
  });

  test("dev: `skaffold dev` activates it, builds the dev target, syncs sources that exist", async () => {
    const dev = config.profiles.find((p) => p.name === "dev")!;
    expect(dev.activation).toEqual([{ command: "dev" }]);
    for (const a of effective("dev").build.artifacts) {
      const service = a.image.replace("ecom/", "");
      expect(readServiceDockerfile(service).map((s) => s.name)).toContain(a.docker.target!);
      expect(a.docker.target).toBe("dev");
      for (const rule of a.sync!.manual) {
        expect(rule.dest).toBe(".");
        const matched = await Array.fromAsync(new Bun.Glob(rule.src).scan({ cwd: repoRoot }));
        expect(matched.length).toBeGreaterThan(0);
      }
    }
  });

  test("dev: port-forwards the local gateway to 8080 and each service to its port", () => {
    const forwards = effective("dev").portForward!.map(
      (f) => `${f.namespace}/${f.resourceName}:${f.port}->${f.localPort}`,
    );
    expect(forwards).toEqual([
      "ingress-nginx/ingress-nginx-controller:80->8080",
      "ecom-dev/user-service:3001->3001",
      "ecom-dev/product-service:3002->3002",
      "ecom-dev/order-service:3003->3003",
    ]);
  });
});
