import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deployables, find, type K8sObject, render, repoRoot, services } from "./kustomize.ts";

const namespaces = { dev: "ecom-dev", staging: "staging", prod: "production" } as const;

describe("every kustomization renders with kustomize", () => {
  for (const [name, path] of Object.entries(deployables)) {
    test(`${name} (${path})`, async () => {
      const objects = await render(path);
      expect(objects.length).toBeGreaterThan(10);
      for (const o of objects) {
        expect(o.apiVersion).toBeString();
        expect(o.kind).toBeString();
        expect(o.metadata.name).toBeString();
      }
    });
  }
  test("base", async () => {
    expect((await render("base")).length).toBeGreaterThan(10);
  });
});

describe("agreed facts hold in every environment", () => {
  for (const [env, namespace] of Object.entries(namespaces)) {
    const path = deployables[env as keyof typeof namespaces];

    test(`${env}: everything namespaced lands in ${namespace}`, async () => {
      const objects = await render(path);
      const ns = find(objects, "Namespace", namespace);
      expect(ns.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      for (const o of objects.filter((o) => o.kind !== "Namespace")) {
        expect(`${o.kind}/${o.metadata.name} in ${o.metadata.namespace}`).toBe(
          `${o.kind}/${o.metadata.name} in ${namespace}`,
        );
      }
    });

    for (const svc of services) {
      test(`${env}: ${svc.name} Deployment, Service on ${svc.port} and image`, async () => {
        const objects = await render(path);
        const deployment = find(objects, "Deployment", svc.name);
        expect(deployment.metadata.labels).toMatchObject({
          "app.kubernetes.io/name": svc.name,
          "app.kubernetes.io/part-of": "ecom",
        });
        const pod = deployment.spec.template;
        expect(pod.metadata.labels["app.kubernetes.io/name"]).toBe(svc.name);
        const container = pod.spec.containers[0];
        expect(container.ports).toEqual([{ name: "http", containerPort: svc.port }]);
        // Overlays that point at a registry keep the agreed repository path ecom/<service>.
        expect(container.image).toMatch(new RegExp(`(^|/)ecom/${svc.name}(:[\\w.-]+)?$`));

        const service = find(objects, "Service", svc.name);
        expect(service.spec.type).toBe("ClusterIP");
        expect(service.spec.selector).toEqual({ "app.kubernetes.io/name": svc.name });
        expect(service.spec.ports).toEqual([{ name: "http", port: svc.port, targetPort: "http" }]);
      });
    }

    test(`${env}: one StatefulSet with a volume claim per database`, async () => {
      const objects = await render(path);
      const images: Record<string, RegExp> = {
        "users-db": /^postgres:16\./,
        "orders-db": /^postgres:16\./,
        "products-db": /^mongo:7\./,
      };
      for (const [name, image] of Object.entries(images)) {
        const sts = find(objects, "StatefulSet", name);
        expect(sts.spec.template.spec.containers[0].image).toMatch(image);
        expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
        expect(sts.spec.serviceName).toBe(name);
        expect(find(objects, "Service", name).spec.clusterIP).toBe("None");
      }
    });
  }
});

describe("environment differences", () => {
  const containerOf = (objects: K8sObject[], name: string) =>
    find(objects, "Deployment", name).spec.template.spec.containers[0];

  test("staging runs 2 replicas; prod leaves the count to the HPA (3..10); base says 3", async () => {
    const [base, staging, prod] = await Promise.all([
      render("base"),
      render("overlays/staging"),
      render("overlays/prod"),
    ]);
    for (const svc of services) {
      expect(find(base, "Deployment", svc.name).spec.replicas).toBe(3);
      expect(find(staging, "Deployment", svc.name).spec.replicas).toBe(2);
      expect(find(prod, "Deployment", svc.name).spec.replicas).toBeUndefined();
      const hpa = find(prod, "HorizontalPodAutoscaler", svc.name);
      expect(hpa.apiVersion).toBe("autoscaling/v2");
      expect(hpa.spec.minReplicas).toBe(3);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(3);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: svc.name });
    }
  });

  test("prod pods are bigger than staging pods", async () => {
    const [staging, prod] = await Promise.all([render("overlays/staging"), render("overlays/prod")]);
    for (const svc of services) {
      expect(containerOf(staging, svc.name).resources.limits.memory).toBe("192Mi");
      expect(containerOf(prod, svc.name).resources.limits.memory).toBe("512Mi");
    }
  });

  const gatewayIngresses = ["ecom-api", "ecom-api-login"];
  const hosts = { staging: "api.staging.ecom.example.com", prod: "api.ecom.example.com" } as const;

  for (const [env, host] of Object.entries(hosts)) {
    test(`${env}: both gateway Ingresses serve ${host} over TLS with the ecom-api-tls certificate`, async () => {
      const objects = await render(`overlays/${env}`);
      for (const name of gatewayIngresses) {
        const ingress = find(objects, "Ingress", name);
        expect({ name, hosts: ingress.spec.rules.map((r: { host?: string }) => r.host) }).toEqual({
          name,
          hosts: [host],
        });
        expect({ name, tls: ingress.spec.tls }).toEqual({
          name,
          tls: [{ hosts: [host], secretName: "ecom-api-tls" }],
        });
        expect({ name, ...ingress.metadata.annotations }).toMatchObject({
          name,
          "nginx.ingress.kubernetes.io/ssl-redirect": "true",
          "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
        });
      }
    });
  }

  test("prod's certificate comes from cert-manager, requested by ecom-api alone (one owner per Certificate)", async () => {
    const [staging, prod] = await Promise.all([render("overlays/staging"), render("overlays/prod")]);
    const issuerOf = (objects: K8sObject[], name: string) =>
      find(objects, "Ingress", name).metadata.annotations?.["cert-manager.io/cluster-issuer"];
    expect(issuerOf(prod, "ecom-api")).toBe("letsencrypt-prod");
    expect(issuerOf(prod, "ecom-api-login")).toBeUndefined();
    for (const name of gatewayIngresses) expect(issuerOf(staging, name)).toBeUndefined();
  });

  test("dev: both gateway Ingresses answer any host name over plain HTTP", async () => {
    const dev = await render("overlays/dev");
    for (const name of gatewayIngresses) {
      const ingress = find(dev, "Ingress", name);
      expect({ name, host: ingress.spec.rules[0].host, tls: ingress.spec.tls }).toEqual({
        name,
        host: undefined,
        tls: undefined,
      });
      expect({ name, ...ingress.metadata.annotations }).toMatchObject({
        name,
        "nginx.ingress.kubernetes.io/ssl-redirect": "false",
        "nginx.ingress.kubernetes.io/force-ssl-redirect": "false",
      });
    }
  });

  test("staging and prod pull versioned images from the registry; dev keeps the names skaffold replaces", async () => {
    const [dev, staging, prod] = await Promise.all([
      render("overlays/dev"),
      render("overlays/staging"),
      render("overlays/prod"),
    ]);
    for (const svc of services) {
      expect(containerOf(dev, svc.name).image).toBe(`ecom/${svc.name}`);
      expect(containerOf(staging, svc.name).image).toMatch(
        new RegExp(`^registry\\.example\\.com/ecom/${svc.name}:\\d+\\.\\d+\\.\\d+$`),
      );
      expect(containerOf(prod, svc.name).image).toMatch(
        new RegExp(`^registry\\.example\\.com/ecom/${svc.name}:\\d+\\.\\d+\\.\\d+$`),
      );
    }
  });

  test("configuration each service reads: production mode, in-cluster URLs, drain time", async () => {
    const prod = await render("overlays/prod");
    const config = (svc: string) => {
      const ref = containerOf(prod, svc).envFrom[0].configMapRef.name;
      return find(prod, "ConfigMap", ref).data;
    };
    for (const svc of services) {
      expect(config(svc.name)).toMatchObject({
        PORT: String(svc.port),
        NODE_ENV: "production",
        SHUTDOWN_TIMEOUT_MS: "10000",
      });
    }
    const jwks = "http://user-service:3001/api/users/.well-known/jwks.json";
    expect(config("product-service").JWKS_URL).toBe(jwks);
    expect(config("order-service")).toMatchObject({
      JWKS_URL: jwks,
      USER_SERVICE_URL: "http://user-service:3001",
      PRODUCT_SERVICE_URL: "http://product-service:3002",
    });
  });
});

describe("the login rate limit matches the local edge", () => {
  // tools/nginx stands in for this ingress on one machine; its default login limit is the reference.
  const localEdge = readFileSync(join(repoRoot, "tools", "nginx", "src", "start-nginx.ts"), "utf8");
  const localRate =
    /loginRate: options\.loginRate \?\? "(\d+)r\/m"/.exec(localEdge)?.[1] ??
    "no default login rate in tools/nginx";
  const limitPrefix = "nginx.ingress.kubernetes.io/limit-";
  const annotations = (objects: K8sObject[], name: string) =>
    find(objects, "Ingress", name).metadata.annotations ?? {};

  for (const env of Object.keys(namespaces)) {
    const path = `overlays/${env}`;

    test(`${env}: ecom-api-login limits requests per minute, ecom-api limits nothing`, async () => {
      const objects = await render(path);
      const login = annotations(objects, "ecom-api-login");
      // Only the request rate: no per-connection limit and no response bandwidth limit (limit-rate*).
      expect(
        Object.fromEntries(Object.entries(login).filter(([key]) => key.startsWith(limitPrefix))),
      ).toEqual({
        [`${limitPrefix}rpm`]: localRate,
        // ingress-nginx's burst is limit-rpm x this; 1 is the smallest it can express.
        [`${limitPrefix}burst-multiplier`]: "1",
      });
      expect(
        Object.keys(annotations(objects, "ecom-api")).filter((key) => key.startsWith(limitPrefix)),
      ).toEqual([]);
    });

    test(`${env}: ecom-api-login has ecom-api's TLS redirect, body size, timeout and error backend annotations`, async () => {
      const objects = await render(path);
      const shared = Object.entries(annotations(objects, "ecom-api")).filter(([key]) =>
        key.startsWith("nginx.ingress.kubernetes.io/"),
      );
      expect(shared.map(([key]) => key.replace("nginx.ingress.kubernetes.io/", "")).sort()).toEqual([
        "custom-http-errors",
        "default-backend",
        "disable-proxy-intercept-errors",
        "force-ssl-redirect",
        "proxy-body-size",
        "proxy-read-timeout",
        "ssl-redirect",
      ]);
      expect(annotations(objects, "ecom-api-login")).toMatchObject(Object.fromEntries(shared));
    });
  }
});
