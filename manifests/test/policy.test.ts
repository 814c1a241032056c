import { describe, expect, test } from "bun:test";
import { find, type K8sObject, render, services } from "./kustomize.ts";
import { allowed, type Endpoint } from "./network-policy.ts";
import { restrictedViolations } from "./pod-security.ts";

/** The hardening every service Deployment carries; dev differs only in a writable root filesystem. */
const environments = [
  { name: "staging", path: "overlays/staging", readOnlyRoot: true },
  { name: "prod", path: "overlays/prod", readOnlyRoot: true },
  { name: "dev", path: "overlays/dev", readOnlyRoot: false },
] as const;

const workloadKinds = ["Deployment", "StatefulSet", "DaemonSet"];
const workloads = (objects: K8sObject[]) => objects.filter((o) => workloadKinds.includes(o.kind));

describe("service Deployments carry the whole hardening list", () => {
  for (const env of environments) {
    for (const svc of services) {
      describe(`${env.name}: ${svc.name}`, () => {
        const load = async () => {
          const objects = await render(env.path);
          const deployment = find(objects, "Deployment", svc.name);
          const pod = deployment.spec.template.spec;
          const container = pod.containers.find((c: { name: string }) => c.name === svc.name);
          return { objects, deployment, pod, container };
        };

        test("probes: readiness /health/ready, liveness /health/live, a startup probe with room for migrations", async () => {
          const { container } = await load();
          expect(container.readinessProbe.httpGet).toEqual({ path: "/health/ready", port: "http" });
          expect(container.livenessProbe.httpGet).toEqual({ path: "/health/live", port: "http" });
          expect(container.startupProbe.httpGet.path).toBe("/health/live");
          const startupBudget =
            container.startupProbe.periodSeconds * container.startupProbe.failureThreshold;
          expect(startupBudget).toBeGreaterThanOrEqual(60);
          // The service gives its readiness check 2 s; the probe must wait longer than that.
          expect(container.readinessProbe.timeoutSeconds).toBeGreaterThan(2);
        });

        test("resource requests and limits for CPU and memory", async () => {
          const { container } = await load();
          for (const kind of ["requests", "limits"]) {
            expect(container.resources[kind].cpu).toBeDefined();
            expect(container.resources[kind].memory).toBeDefined();
          }
        });

        test("securityContext: non-root, read-only root, no capabilities, no escalation, RuntimeDefault seccomp", async () => {
          const { pod, container } = await load();
          expect(pod.securityContext).toMatchObject({
            runAsNonRoot: true,
            runAsUser: 65532,
            seccompProfile: { type: "RuntimeDefault" },
          });
          expect(container.securityContext).toEqual({
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: env.readOnlyRoot,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          });
          expect(pod.hostNetwork ?? false).toBe(false);
          expect(pod.hostPID ?? false).toBe(false);
        });

        test("a writable /tmp, since the root filesystem is read-only", async () => {
          const { pod, container } = await load();
          const mount = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === "/tmp");
          const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
          expect(volume.emptyDir).toBeDefined();
        });

        test("graceful stop: preStop pause, then a grace period above pause + drain", async () => {
          const { objects, pod, container } = await load();
          const pause = container.lifecycle.preStop.sleep.seconds;
          expect(pause).toBeGreaterThanOrEqual(3);
          const config = find(objects, "ConfigMap", container.envFrom[0].configMapRef.name).data;
          const drainSeconds = Number(config.SHUTDOWN_TIMEOUT_MS) / 1000;
          expect(drainSeconds).toBeGreaterThan(0);
          expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause + drainSeconds);
        });

        test("rolling update that never lowers capacity", async () => {
          const { deployment } = await load();
          expect(deployment.spec.strategy).toEqual({
            type: "RollingUpdate",
            rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
          });
        });

        test("replicas spread across nodes (pod anti-affinity on the host name)", async () => {
          const { pod } = await load();
          const terms = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
          expect(terms).toContainEqual({
            weight: 100,
            podAffinityTerm: {
              topologyKey: "kubernetes.io/hostname",
              labelSelector: { matchLabels: { "app.kubernetes.io/name": svc.name } },
            },
          });
        });

        test("Prometheus scrape annotations on the service port", async () => {
          const { deployment } = await load();
          expect(deployment.spec.template.metadata.annotations).toEqual({
            "prometheus.io/scrape": "true",
            "prometheus.io/port": String(svc.port),
            "prometheus.io/path": "/metrics",
          });
        });

        test("its own service account, and no API token in the pod", async () => {
          const { objects, pod } = await load();
          expect(pod.serviceAccountName).toBe(svc.name);
          expect(pod.automountServiceAccountToken).toBe(false);
          expect(pod.enableServiceLinks).toBe(false);
          expect(find(objects, "ServiceAccount", svc.name).automountServiceAccountToken).toBe(false);
        });

        test("Secrets only by reference", async () => {
          const { container } = await load();
          for (const e of container.env) {
            expect(`${e.name}: ${e.value === undefined ? "from a Secret" : "inline"}`).toBe(
              `${e.name}: from a Secret`,
            );
            expect(e.valueFrom.secretKeyRef.name).toBeString();
          }
        });
      });
    }
  }
});

describe("every workload in staging and prod is hardened", () => {
  for (const env of environments.filter((e) => e.readOnlyRoot)) {
    test(`${env.name}: non-root, no escalation, no capabilities, read-only root, probes, resources, no token`, async () => {
      const list = workloads(await render(env.path));
      // The three services, the three databases and edge-errors (the ingress's error backend).
      expect(list.length).toBe(7);
      for (const w of list) {
        const pod = w.spec.template.spec;
        const at = `${w.kind}/${w.metadata.name}`;
        expect({ at, automount: pod.automountServiceAccountToken }).toEqual({ at, automount: false });
        expect({ at, ...pod.securityContext }).toMatchObject({
          at,
          runAsNonRoot: true,
          seccompProfile: { type: "RuntimeDefault" },
        });
        for (const c of pod.containers) {
          expect({ at, ...c.securityContext }).toMatchObject({
            at,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          });
          expect({ at, ready: !!c.readinessProbe, live: !!c.livenessProbe }).toEqual({
            at,
            ready: true,
            live: true,
          });
          expect({ at, ...c.resources.requests }).toMatchObject({
            at,
            cpu: expect.any(String),
            memory: expect.any(String),
          });
          expect({ at, ...c.resources.limits }).toMatchObject({
            at,
            cpu: expect.any(String),
            memory: expect.any(String),
          });
          expect(c.image).not.toMatch(/:latest$/);
        }
      }
    });
  }

  test("observability workloads: hardened, with every exception named and explained", async () => {
    const list = workloads(await render("observability"));
    expect(list.map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
      "DaemonSet/fluent-bit",
      "Deployment/grafana",
      "Deployment/kibana",
      "Deployment/kube-state-metrics",
      "StatefulSet/elasticsearch",
      "StatefulSet/prometheus",
    ]);
    for (const w of list) {
      const pod = w.spec.template.spec;
      const skips = Object.entries(w.metadata.annotations ?? {})
        .filter(([k]) => k.startsWith("checkov.io/skip"))
        .map(([, v]) => String(v).split("=")[0]);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect(c.resources.limits.memory).toBeDefined();
        expect(c.readinessProbe).toBeDefined();
        // Root (Fluent Bit) or a writable root (Elasticsearch) only with the exception written down.
        if (c.securityContext.runAsNonRoot === false) expect(skips).toContain("CKV_K8S_23");
        if (c.securityContext.readOnlyRootFilesystem !== true) expect(skips).toContain("CKV_K8S_22");
        if (pod.automountServiceAccountToken !== false) expect(skips).toContain("CKV_K8S_38");
      }
    }
  });
});

describe("Pod Security admission", () => {
  for (const path of ["overlays/staging", "overlays/prod", "overlays/dev", "observability"]) {
    test(`${path}: every pod passes the profile its namespace enforces`, async () => {
      const objects = await render(path);
      const enforced = new Map(
        objects
          .filter((o) => o.kind === "Namespace")
          .map((o) => [o.metadata.name, o.metadata.labels?.["pod-security.kubernetes.io/enforce"]]),
      );
      const checked = workloads(objects).filter((w) => enforced.get(w.metadata.namespace!) === "restricted");
      expect(checked.length).toBeGreaterThanOrEqual(3);
      for (const w of checked) {
        expect({
          at: `${w.kind}/${w.metadata.name}`,
          problems: restrictedViolations(w.spec.template.spec),
        }).toEqual({
          at: `${w.kind}/${w.metadata.name}`,
          problems: [],
        });
      }
    });
  }

  test("only the logging namespace relaxes enforcement, for Fluent Bit's host log files", async () => {
    const objects = await render("observability");
    const logging = find(objects, "Namespace", "logging");
    expect(logging.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    const loggingPods = workloads(objects).filter((w) => w.metadata.namespace === "logging");
    const failing = loggingPods.filter((w) => restrictedViolations(w.spec.template.spec).length > 0);
    expect(failing.map((w) => w.metadata.name)).toEqual(["fluent-bit"]);
  });
});

describe("the ingress routes the public API only", () => {
  type Path = {
    path: string;
    pathType: string;
    backend: { service: { name: string; port: { name: string } } };
  };
  type Rule = { host?: string; http: { paths: Path[] } };
  const ownerOf: Record<string, string> = {
    users: "user-service",
    products: "product-service",
    orders: "order-service",
  };

  for (const env of environments) {
    test(`${env.name}: /api/users, /api/products, /api/orders (and the rate-limited login), nothing else`, async () => {
      const ingresses = (await render(env.path)).filter((o) => o.kind === "Ingress");
      expect(ingresses.map((i) => i.metadata.name)).toEqual(["ecom-api", "ecom-api-login"]);
      const routes: string[] = [];
      for (const ingress of ingresses) {
        expect(ingress.spec.ingressClassName).toBe("nginx");
        expect(ingress.metadata.labels?.["app.kubernetes.io/component"]).toBe("gateway");
        expect(ingress.spec.defaultBackend).toBeUndefined();
        expect(ingress.spec.rules).toHaveLength(1);
        for (const p of (ingress.spec.rules as Rule[]).flatMap((r) => r.http.paths)) {
          const route = `${ingress.metadata.name}: ${p.pathType} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.name}`;
          routes.push(route);
          // Whatever the path, it lies under one of the three prefixes and goes to that prefix's service.
          const prefix = /^\/api\/(users|products|orders)(\/|$)/.exec(p.path)?.[1];
          expect({ route, service: ownerOf[prefix ?? ""] }).toEqual({
            route,
            service: p.backend.service.name,
          });
        }
      }
      expect(routes).toEqual([
        "ecom-api: Prefix /api/users -> user-service:http",
        "ecom-api: Prefix /api/products -> product-service:http",
        "ecom-api: Prefix /api/orders -> order-service:http",
        "ecom-api-login: Exact /api/users/login -> user-service:http",
      ]);
    });
  }

  for (const env of environments.filter((e) => e.name !== "dev")) {
    test(`${env.name}: every gateway Ingress serves its host over TLS only`, async () => {
      for (const ingress of (await render(env.path)).filter((o) => o.kind === "Ingress")) {
        const name = ingress.metadata.name;
        expect({
          name,
          redirect: ingress.metadata.annotations?.["nginx.ingress.kubernetes.io/force-ssl-redirect"],
        }).toEqual({
          name,
          redirect: "true",
        });
        expect({ name, tls: ingress.spec.tls[0].hosts }).toEqual({ name, tls: [ingress.spec.rules[0].host] });
      }
    });
  }
});

describe("prod: disruption budgets, zone spread and network isolation", () => {
  test("each service spreads over zones as well as nodes", async () => {
    const prod = await render("overlays/prod");
    for (const svc of services) {
      const pod = find(prod, "Deployment", svc.name).spec.template.spec;
      expect(pod.topologySpreadConstraints).toEqual([
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { "app.kubernetes.io/name": svc.name } },
        },
      ]);
      expect(pod.affinity.podAntiAffinity).toBeDefined();
    }
  });

  test("each service, and edge-errors, keeps all but one pod through voluntary disruptions", async () => {
    const prod = await render("overlays/prod");
    for (const name of [...services.map((s) => s.name), "edge-errors"]) {
      const pdb = find(prod, "PodDisruptionBudget", name);
      expect(pdb.spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": name } },
      });
    }
    expect(find(prod, "Deployment", "edge-errors").spec.replicas).toBe(2);
  });

  const pod = (name: string, namespace = "production"): Endpoint => ({
    namespace,
    labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "ecom" },
  });
  const ingressController: Endpoint = {
    namespace: "ingress-nginx",
    labels: { "app.kubernetes.io/name": "ingress-nginx" },
  };
  const prometheus: Endpoint = {
    namespace: "monitoring",
    labels: { "app.kubernetes.io/name": "prometheus" },
  };
  const dns: Endpoint = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
  const stranger: Endpoint = { namespace: "default", labels: { app: "debug" } };
  const policies = async () => (await render("overlays/prod")).filter((o) => o.kind === "NetworkPolicy");

  test("default deny in both directions for every pod", async () => {
    const all = await policies();
    const deny = find(all, "NetworkPolicy", "default-deny-all");
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    expect(allowed(all, stranger, pod("user-service"), 3001)).toBe(false);
    expect(allowed(all, pod("user-service"), stranger, 443)).toBe(false);
  });

  test("the ingress controller reaches the service ports, and nothing else", async () => {
    const all = await policies();
    for (const svc of services) {
      expect(allowed(all, ingressController, pod(svc.name), svc.port)).toBe(true);
      expect(allowed(all, ingressController, pod(svc.name), 9999)).toBe(false);
      expect(allowed(all, ingressController, pod(svc.database), svc.databasePort)).toBe(false);
    }
  });

  test("edge-errors is reached by the ingress controller on its error port only, and reaches nothing", async () => {
    const all = await policies();
    expect(allowed(all, ingressController, pod("edge-errors"), 8080)).toBe(true);
    expect(allowed(all, ingressController, pod("edge-errors"), 8081)).toBe(false);
    expect(allowed(all, stranger, pod("edge-errors"), 8080)).toBe(false);
    expect(allowed(all, pod("user-service"), pod("edge-errors"), 8080)).toBe(false);
    for (const svc of services) {
      expect(allowed(all, pod("edge-errors"), pod(svc.name), svc.port)).toBe(false);
      expect(allowed(all, pod("edge-errors"), pod(svc.database), svc.databasePort)).toBe(false);
    }
    expect(allowed(all, pod("edge-errors"), dns, 53, "UDP")).toBe(true);
  });

  test("Prometheus scrapes every service", async () => {
    const all = await policies();
    for (const svc of services) expect(allowed(all, prometheus, pod(svc.name), svc.port)).toBe(true);
  });

  test("only the order service calls the user and product services (plus the product service's JWKS fetch)", async () => {
    const all = await policies();
    expect(allowed(all, pod("order-service"), pod("user-service"), 3001)).toBe(true);
    expect(allowed(all, pod("order-service"), pod("product-service"), 3002)).toBe(true);
    expect(allowed(all, pod("product-service"), pod("user-service"), 3001)).toBe(true);
    expect(allowed(all, pod("user-service"), pod("product-service"), 3002)).toBe(false);
    expect(allowed(all, pod("user-service"), pod("order-service"), 3003)).toBe(false);
    expect(allowed(all, pod("product-service"), pod("order-service"), 3003)).toBe(false);
    expect(allowed(all, pod("users-db"), pod("user-service"), 3001)).toBe(false);
  });

  test("each service reaches its own database only", async () => {
    const all = await policies();
    for (const svc of services) {
      for (const other of services) {
        expect(
          `${svc.name} -> ${other.database}: ${allowed(all, pod(svc.name), pod(other.database), other.databasePort)}`,
        ).toBe(`${svc.name} -> ${other.database}: ${svc.name === other.name}`);
      }
    }
  });

  test("every pod resolves names through the cluster DNS, and reaches nothing outside", async () => {
    const all = await policies();
    for (const name of [...services.map((s) => s.name), ...services.map((s) => s.database)]) {
      expect(allowed(all, pod(name), dns, 53, "UDP")).toBe(true);
      expect(allowed(all, pod(name), dns, 53, "TCP")).toBe(true);
      expect(allowed(all, pod(name), { namespace: "default", labels: {} }, 443)).toBe(false);
    }
  });
});
