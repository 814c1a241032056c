import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { connectionEnv, type ServiceKey, type ServiceSpec, services } from "@ecom/system";
import { find, type K8sObject, render, repoRoot } from "./kustomize.ts";

/**
 * The cluster runs the system `@ecom/system` describes: the same public prefixes, ports and
 * connections. A service, port, prefix or connection changed in topology.ts without the manifests
 * (or skaffold.yaml) following fails here, in every environment.
 */
const environments = ["overlays/dev", "overlays/staging", "overlays/prod"];

/** In the cluster a service is reached by its Service's name on its port. */
const clusterUrls = Object.fromEntries(services.map((s) => [s.key, `http://${s.name}:${s.port}`])) as Record<
  ServiceKey,
  string
>;

/** The variables that connect services: what connectionEnv produces, and anything named like it. */
const isConnection = (variable: string) => variable === "JWKS_URL" || variable.endsWith("_SERVICE_URL");

type IngressPath = { ingress: string; path: string; pathType: string; service: string; port: string };

function ingressPaths(objects: K8sObject[]): IngressPath[] {
  return objects
    .filter((o) => o.kind === "Ingress")
    .flatMap((o) =>
      // biome-ignore lint/suspicious/noExplicitAny: rendered YAML, read field by field
      o.spec.rules.flatMap((rule: any) =>
        // biome-ignore lint/suspicious/noExplicitAny: as above
        rule.http.paths.map((p: any) => ({
          ingress: o.metadata.name,
          path: p.path,
          pathType: p.pathType,
          service: p.backend.service.name,
          port: p.backend.service.port.name,
        })),
      ),
    );
}

const ownerOf = (path: string) =>
  services.find((s) => path === s.publicPrefix || path.startsWith(`${s.publicPrefix}/`));

function podOf(objects: K8sObject[], s: ServiceSpec) {
  const pod = find(objects, "Deployment", s.name).spec.template;
  const container = pod.spec.containers.find((c: { name: string }) => c.name === s.name);
  if (!container) throw new Error(`Deployment/${s.name} has no container ${s.name}`);
  return { annotations: pod.metadata.annotations ?? {}, container };
}

function configOf(objects: K8sObject[], s: ServiceSpec): Record<string, string> {
  const refs = podOf(objects, s).container.envFrom.map(
    (e: { configMapRef: { name: string } }) => e.configMapRef.name,
  );
  return Object.assign({}, ...refs.map((name: string) => find(objects, "ConfigMap", name).data));
}

describe("the manifests agree with @ecom/system", () => {
  for (const env of environments) {
    test(`${env}: the Ingresses route exactly the public prefixes, each to its Service's http port`, async () => {
      const objects = await render(env);
      const paths = ingressPaths(objects);
      expect(
        paths
          .filter((p) => p.pathType === "Prefix")
          .map((p) => p.path)
          .sort(),
      ).toEqual(services.map((s) => s.publicPrefix).sort());
      for (const p of paths) {
        // Nothing outside the prefixes, nothing below one routed to another service.
        const owner = ownerOf(p.path);
        expect({ ...p, owner: owner?.name as string | undefined }).toEqual({ ...p, owner: p.service });
        if (!owner) continue;
        const servicePorts = find(objects, "Service", owner.name).spec.ports as {
          name: string;
          port: number;
        }[];
        expect(servicePorts.find((port) => port.name === p.port)?.port).toBe(owner.port);
      }
    });

    for (const s of services) {
      test(`${env}: ${s.name} listens, is exposed and scraped on ${s.port}`, async () => {
        const objects = await render(env);
        const { annotations, container } = podOf(objects, s);
        expect(container.ports).toEqual([{ name: "http", containerPort: s.port }]);
        expect(annotations["prometheus.io/port"]).toBe(String(s.port));
        expect(find(objects, "Service", s.name).spec.ports).toEqual([
          { name: "http", port: s.port, targetPort: "http" },
        ]);
        expect(configOf(objects, s).PORT).toBe(String(s.port));
      });

      test(`${env}: ${s.name}'s ConfigMap connects it to the others as connectionEnv says`, async () => {
        const config = configOf(await render(env), s);
        const connections = Object.fromEntries(
          Object.entries(config).filter(([variable]) => isConnection(variable)),
        );
        expect(connections).toEqual(connectionEnv(s.key, clusterUrls));
      });
    }
  }
});

type Artifact = { image: string; docker: { dockerfile: string } };
type Skaffold = {
  build: { artifacts: Artifact[] };
  profiles: {
    name: string;
    build?: { artifacts?: Artifact[] };
    patches?: { path: string; value: unknown }[];
    portForward?: { resourceName: string; port: number; localPort: number }[];
  }[];
};

describe("skaffold.yaml agrees with @ecom/system", () => {
  const skaffold = Bun.YAML.parse(readFileSync(join(repoRoot, "skaffold.yaml"), "utf8")) as Skaffold;
  const expected = services
    .map((s) => ({ image: `ecom/${s.name}`, dockerfile: `apps/${s.name}/Dockerfile` }))
    .sort((a, b) => a.image.localeCompare(b.image));
  const built = (artifacts: Artifact[]) =>
    artifacts
      .map((a) => ({ image: a.image, dockerfile: a.docker.dockerfile }))
      .sort((a, b) => a.image.localeCompare(b.image));

  test("the artifacts, of every profile that lists its own, are the services' images", () => {
    expect(built(skaffold.build.artifacts)).toEqual(expected);
    for (const profile of skaffold.profiles.filter((p) => p.build?.artifacts)) {
      expect({ profile: profile.name, artifacts: built(profile.build?.artifacts ?? []) }).toEqual({
        profile: profile.name,
        artifacts: expected,
      });
    }
  });

  test("a profile that moves an image to a registry keeps the service's repository path", () => {
    for (const profile of skaffold.profiles) {
      for (const patch of profile.patches ?? []) {
        const index = /^\/build\/artifacts\/(\d+)\/image$/.exec(patch.path)?.[1];
        if (index === undefined) continue;
        const image = skaffold.build.artifacts[Number(index)]?.image;
        expect({ profile: profile.name, value: patch.value }).toEqual({
          profile: profile.name,
          value: expect.stringMatching(new RegExp(`/${image}$`)),
        });
      }
    }
  });

  test("port-forwards to a service use its port", () => {
    for (const profile of skaffold.profiles) {
      for (const forward of profile.portForward ?? []) {
        const s = services.find((candidate) => candidate.name === forward.resourceName);
        if (!s) continue;
        expect(forward).toMatchObject({ port: s.port, localPort: s.port });
      }
    }
  });
});
