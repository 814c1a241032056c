import { describe, expect, test } from "bun:test";
import { deployables, find, type K8sObject, render, services } from "./kustomize.ts";

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

  test("each environment has its own host name; prod's certificate comes from cert-manager", async () => {
    const [staging, prod] = await Promise.all([render("overlays/staging"), render("overlays/prod")]);
    const hostOf = (objects: K8sObject[]) => find(objects, "Ingress", "ecom-api").spec.rules[0].host;
    expect(hostOf(staging)).toBe("api.staging.ecom.example.com");
    expect(hostOf(prod)).toBe("api.ecom.example.com");
    const prodIngress = find(prod, "Ingress", "ecom-api");
    expect(prodIngress.metadata.annotations?.["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-prod");
    expect(prodIngress.spec.tls).toEqual([{ hosts: ["api.ecom.example.com"], secretName: "ecom-api-tls" }]);
    expect(find(staging, "Ingress", "ecom-api").spec.tls[0].hosts).toEqual(["api.staging.ecom.example.com"]);
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
