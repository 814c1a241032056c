import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type NginxRun, runNginx } from "@ecom/nginx";
import { freePort, type RawResponse, rawRequest } from "@ecom/test-harness";
import { find, type K8sObject, manifestsDir, render, repoRoot } from "./kustomize.ts";

/**
 * edge-errors, ingress-nginx's custom error backend: its nginx.conf, taken from the rendered prod
 * ConfigMap, runs in the real nginx binary on loopback with only its paths and ports moved. Requests
 * carry the headers the controller sends; then the same config sits behind a stand-in for the
 * controller built from the Ingress annotations and controller-values.yaml.
 */
const annotation = "nginx.ingress.kubernetes.io/";
const gatewayIngresses = ["ecom-api", "ecom-api-login"];
const controllerValues = Bun.YAML.parse(
  readFileSync(join(manifestsDir, "ingress-nginx", "controller-values.yaml"), "utf8"),
) as {
  controller: { config: Record<string, string>; extraArgs: Record<string, string> };
  defaultBackend: { enabled: boolean };
};
const codesOf = (list: string) => list.split(",").map((code) => code.trim());

type Pod = {
  spec: {
    containers: {
      name: string;
      command: string[];
      ports: { name: string; containerPort: number }[];
      volumeMounts: { name: string; mountPath: string }[];
    }[];
    volumes: { name: string; configMap?: { name: string } }[];
  };
};

/** The edge-errors container, its nginx.conf (from the ConfigMap it mounts) and its ports. */
function edgeErrors(objects: K8sObject[]) {
  const pod = find(objects, "Deployment", "edge-errors").spec.template as Pod;
  const container = pod.spec.containers[0]!;
  const configFile = container.command[container.command.indexOf("-c") + 1]!;
  const mount = container.volumeMounts.find((m) => configFile.startsWith(`${m.mountPath}/`))!;
  const volume = pod.spec.volumes.find((v) => v.name === mount.name)!;
  const configMap = find(objects, "ConfigMap", volume.configMap!.name);
  const port = (name: string) => container.ports.find((p) => p.name === name)!.containerPort;
  return {
    command: container.command,
    configFile,
    config: configMap.data[configFile.slice(mount.mountPath.length + 1)] as string,
    httpPort: port("http"),
    healthPort: port("health"),
  };
}

/**
 * The pod's config for loopback: pid and temp paths into `dir`, each `listen <port>;` onto a free
 * loopback port, and (as tools/nginx does) `user root;` when the tests run as root. Nothing else changes.
 */
function onLoopback(config: string, dir: string, ports: Map<number, number>): string {
  for (const line of config.split("\n").filter((l) => l.includes("/tmp/"))) {
    expect(line).toMatch(/^\s*(pid|\w+_temp_path) \/tmp\/\w+(\.pid)?;$/);
  }
  let listens = 0;
  const moved = config.replaceAll("/tmp/", `${dir}/`).replace(/^(\s*)listen (\d+);$/gm, (_, indent, port) => {
    listens++;
    const local = ports.get(Number(port));
    if (!local) throw new Error(`nginx.conf listens on ${port}, not a container port`);
    return `${indent}listen 127.0.0.1:${local};`;
  });
  expect(listens).toBe(ports.size);
  return (process.getuid?.() === 0 ? "user root;\n" : "") + moved;
}

/** The body edge-errors must send for each code it is given, as tools/nginx answers the same errors. */
const retryAfter = 2;
const bodies = (id: string) => ({
  "400": `{"error":{"code":"VALIDATION_ERROR","message":"The request is malformed","requestId":"${id}"}}`,
  "413": `{"error":{"code":"PAYLOAD_TOO_LARGE","message":"Request body is too large","requestId":"${id}"}}`,
  "429": `{"error":{"code":"RATE_LIMITED","message":"Too many attempts, try again later","details":{"retryAfterSeconds":${retryAfter}},"requestId":"${id}"}}`,
  "494": `{"error":{"code":"HEADERS_TOO_LARGE","message":"Request headers are too large","requestId":"${id}"}}`,
  "502": `{"error":{"code":"DEPENDENCY_UNAVAILABLE","message":"No instance of the service is reachable","requestId":"${id}"}}`,
  "503": `{"error":{"code":"DEPENDENCY_UNAVAILABLE","message":"No instance of the service is ready","requestId":"${id}"}}`,
  "504": `{"error":{"code":"DEPENDENCY_UNAVAILABLE","message":"The service did not answer in time","requestId":"${id}"}}`,
  none: `{"error":{"code":"NOT_FOUND","message":"No such route","requestId":"${id}"}}`,
  unknown: `{"error":{"code":"INTERNAL_ERROR","message":"Something went wrong; the request id helps us find it","requestId":"${id}"}}`,
});
type Case = keyof ReturnType<typeof bodies>;
const statusOf: Record<Case, number> = {
  "400": 400,
  "413": 413,
  "429": 429,
  "494": 431,
  "502": 502,
  "503": 503,
  "504": 504,
  none: 404,
  unknown: 500,
};
const handledCodes = Object.keys(statusOf).filter((c) => /^\d+$/.test(c));

let prod: K8sObject[];
let edge: ReturnType<typeof edgeErrors>;
let nginx: NginxRun;
let edgeUrl: string;
let healthUrl: string;

beforeAll(async () => {
  prod = await render("overlays/prod");
  edge = edgeErrors(prod);
  const httpPort = freePort();
  const healthPort = freePort();
  nginx = await runNginx({
    config: (dir) =>
      onLoopback(
        edge.config,
        dir,
        new Map([
          [edge.httpPort, httpPort],
          [edge.healthPort, healthPort],
        ]),
      ),
    // The container's own command line, with only the binary and the config file's place changed.
    args: (confFile) => edge.command.slice(1).map((arg) => (arg === edge.configFile ? confFile : arg)),
    ports: [httpPort, healthPort],
  });
  edgeUrl = `http://127.0.0.1:${httpPort}`;
  healthUrl = `http://127.0.0.1:${healthPort}`;
});

afterAll(async () => {
  await nginx?.stop();
});

/** A request as the controller's @custom_<backend>_<code> location sends it (nginx.tmpl, CUSTOM_ERRORS). */
function asTheController(code: string | undefined, requestId: string, init: RequestInit = {}) {
  const headers: Record<string, string> = {
    "x-format": "text/html,application/xhtml+xml",
    "x-original-uri": "/api/orders?page=2",
    "x-request-id": requestId,
    "x-namespace": "production",
    "x-ingress-name": "ecom-api",
    "x-service-name": "order-service",
    "x-service-port": "http",
  };
  if (code !== undefined) headers["x-code"] = code;
  return fetch(`${edgeUrl}/`, { ...init, headers });
}

async function expectAnswer(response: Response, expected: Case, requestId: string) {
  expect(response.status).toBe(statusOf[expected]);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(response.headers.get("x-request-id")).toBe(requestId);
  expect(await response.text()).toBe(bodies(requestId)[expected]);
}

describe("edge-errors in real nginx: every code the controller may send", () => {
  test("the pod runs nginx on the mounted config, serving the Service's port and probing another", () => {
    expect(edge.command).toEqual(["nginx", "-e", "/dev/stderr", "-c", edge.configFile, "-g", "daemon off;"]);
    const service = find(prod, "Service", "edge-errors");
    expect(service.spec.ports).toEqual([{ name: "http", port: 8080, targetPort: "http" }]);
    expect(edge.httpPort).toBe(8080);
    const container = find(prod, "Deployment", "edge-errors").spec.template.spec.containers[0];
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: "/healthz", port: "health" });
    }
    expect(container.image).toMatch(/^nginxinc\/nginx-unprivileged:\d+\.\d+\.\d+-alpine$/);
  });

  for (const code of handledCodes as Case[]) {
    test(`X-Code ${code} → ${statusOf[code]} in the error shape, with the caller's request id`, async () => {
      const id = `req-${code}.a:b_C`;
      const response = await asTheController(code, id);
      await expectAnswer(response, code, id);
      if (code === "429") expect(response.headers.get("retry-after")).toBe(String(retryAfter));
      else expect(response.headers.get("retry-after")).toBeNull();
    });
  }

  test("any method and body: the answer is sent without reading the body", async () => {
    const response = await asTheController("413", "post-1", { method: "POST", body: "x".repeat(3 << 20) });
    await expectAnswer(response, "413", "post-1");
    const head = await asTheController("502", "head-1", { method: "HEAD" });
    expect(head.status).toBe(502);
    expect(head.headers.get("x-request-id")).toBe("head-1");
  });

  test("no X-Code (a request no Ingress routes, from the controller's default backend) → 404 NOT_FOUND", async () => {
    for (const path of ["/", "/trpc/user.get", "/metrics", "/errors/502", "/healthz"]) {
      const response = await fetch(`${edgeUrl}${path}`, { headers: { "x-request-id": "unrouted-1" } });
      await expectAnswer(response, "none", "unrouted-1");
    }
  });

  test("an X-Code this config does not know, or one that is not a code, → 500 INTERNAL_ERROR", async () => {
    for (const code of ["418", "500", "5022", "/errors/502", "../502", "502?x=1", "4%39%34"]) {
      await expectAnswer(await asTheController(code, "odd-code"), "unknown", "odd-code");
    }
  });

  test("a hostile or oversized X-Request-ID never reaches the JSON: nginx's own id instead", async () => {
    const hostile = [
      'a"b',
      "a\\b",
      '","code":"OWNED',
      "x\\u0022y",
      "id with spaces",
      "<script>",
      "a".repeat(129),
      "é",
    ];
    const seen = new Set<string>();
    for (const id of hostile) {
      const response = await asTheController("502", id);
      const own = response.headers.get("x-request-id") ?? "";
      expect(own).toMatch(/^[0-9a-f]{32}$/);
      seen.add(own);
      const text = await response.text();
      expect(text).toBe(bodies(own)["502"]);
      expect(JSON.parse(text).error.requestId).toBe(own);
    }
    expect(seen.size).toBe(hostile.length);
    // The longest safe id is echoed as is, like the services do.
    const longest = "A".repeat(128);
    await expectAnswer(await asTheController("503", longest), "503", longest);
  });

  test("the same codes, messages and Retry-After as tools/nginx's template, which answers these locally", async () => {
    const template = readFileSync(join(repoRoot, "tools", "nginx", "nginx.conf.template"), "utf8");
    const login = find(prod, "Ingress", "ecom-api-login").metadata.annotations!;
    // tools/nginx's retryAfterSeconds: seconds until the rate allows one more request.
    const loginRetryAfter = String(Math.max(1, Math.ceil(60 / Number(login[`${annotation}limit-rpm`]))));
    expect(template).toContain(`add_header Retry-After {{LOGIN_RETRY_AFTER}} always;`);
    const local = [...template.matchAll(/return (\d{3}) '(.+)';/g)].map(([, status, body]) => ({
      status: Number(status),
      body: body!.replaceAll("{{LOGIN_RETRY_AFTER}}", loginRetryAfter),
    }));
    expect(local.map((l) => l.status).sort()).toEqual([400, 404, 413, 429, 431, 502, 504]);
    for (const { status, body } of local) {
      const code = (Object.keys(statusOf) as Case[]).find((c) => statusOf[c] === status)!;
      const response = await asTheController(code === "none" ? undefined : code, "same-1");
      expect(response.status).toBe(status);
      expect(await response.text()).toBe(body.replaceAll("$ecom_request_id", "same-1"));
      if (status === 429) expect(response.headers.get("retry-after")).toBe(loginRetryAfter);
    }
  });

  test("one ECS JSON access-log line per answer, with the client's URI, the status and the id", async () => {
    await asTheController("504", "logged-1");
    let line: Record<string, unknown> | undefined;
    const deadline = Date.now() + 5000;
    while (!line && Date.now() < deadline) {
      line = nginx
        .stdout()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l["trace.id"] === "logged-1");
      if (!line) await Bun.sleep(20);
    }
    expect(line).toMatchObject({
      "service.name": "edge-errors",
      "log.level": "info",
      "url.original": "/api/orders?page=2",
      "labels.ingress_status": "504",
      "http.response.status_code": 504,
      "http.request.method": "GET",
    });
    expect(Date.parse(String(line!["@timestamp"]))).not.toBeNaN();
  });

  test("the probe port answers 200; the error port never does", async () => {
    const health = await fetch(`${healthUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect((await fetch(`${edgeUrl}/healthz`)).status).toBe(404);
  });
});

describe("what sends errors to edge-errors", () => {
  for (const env of ["staging", "prod", "dev"]) {
    test(`${env}: both gateway Ingresses send their own errors, and only those, to edge-errors in their namespace`, async () => {
      const objects = await render(`overlays/${env}`);
      for (const name of gatewayIngresses) {
        const ingress = find(objects, "Ingress", name);
        const a = ingress.metadata.annotations ?? {};
        const backend = find(objects, "Service", a[`${annotation}default-backend`] ?? "");
        expect({ name, backend: backend.metadata.name, ns: backend.metadata.namespace }).toEqual({
          name,
          backend: "edge-errors",
          ns: ingress.metadata.namespace,
        });
        // Without it a service's own 400/413/429/503 body would be replaced by edge-errors' one.
        expect({ name, noIntercept: a[`${annotation}disable-proxy-intercept-errors`] }).toEqual({
          name,
          noIntercept: "true",
        });
        const codes = a[`${annotation}custom-http-errors`] ?? "";
        // ingress-nginx's annotation validator (annotations/customhttperrors).
        expect(codes).toMatch(/^(?:[4,5]\d{2},?)*$/);
        expect({ name, codes: codesOf(codes) }).toEqual({
          name,
          codes: ["400", "413", "429", "502", "503", "504"],
        });
        for (const code of codesOf(codes)) expect(handledCodes).toContain(code);
      }
    });
  }

  test("controller-values.yaml: server-level errors, 429 for the login limit, edge-errors as default backend", async () => {
    const { config, extraArgs } = controllerValues.controller;
    expect(config["limit-req-status-code"]).toBe("429");
    expect(codesOf(config["custom-http-errors"]!)).toEqual(["400", "494"]);
    for (const code of codesOf(config["custom-http-errors"]!)) {
      // The controller keeps codes in 300..599 (template/configmap.go filterErrors); 494 passes.
      expect(Number(code)).toBeWithin(300, 600);
      expect(handledCodes).toContain(code);
    }
    // Else those two codes are taken from every service answer in locations listing none of their own.
    expect(config["disable-proxy-intercept-errors"]).toBe("true");
    expect(controllerValues.defaultBackend.enabled).toBe(false);
    const [namespace, name] = extraArgs["default-backend-service"]!.split("/");
    const service = find(prod, "Service", name!);
    expect(service.metadata.namespace).toBe(namespace);
    expect(find(prod, "Namespace", namespace!)).toBeDefined();
  });
});

/**
 * A stand-in for ingress-nginx in front of the same edge-errors process: the directives that
 * nginx.tmpl (controller 1.15) generates for these settings, written out with plain upstreams where
 * the controller balances in Lua, and 1 s read timeouts instead of the Ingress's 30 s. As there,
 * proxy_http_version and $best_http_host are set in Ingress locations only, so the error request for
 * a server-level 400/494 goes out as HTTP/1.0 without Host. It checks what only the pair shows:
 * nginx's own 400/494/413 handling, what it forwards to the error backend, and that a service's own
 * error answer passes untouched. It is not the controller (no Lua, no TLS, no dynamic upstreams).
 */
describe("behind a stand-in for the controller, built from the annotations and controller-values.yaml", () => {
  const customBackend = "custom-default-backend-production-edge-errors";
  let front: NginxRun;
  let frontPort: number;
  let service: ReturnType<typeof Bun.serve>;
  const release = Promise.withResolvers<void>();

  /** @custom_<upstream>_<code>: nginx.tmpl's CUSTOM_ERRORS (X-Namespace/X-Ingress-Name/X-Service-* left out, unread). */
  const customErrors = (upstream: string, codes: string[]) =>
    codes
      .map(
        (code) => `
    location @custom_${upstream}_${code} {
      internal;
      proxy_intercept_errors off;
      proxy_set_header X-Code ${code};
      proxy_set_header X-Format $http_accept;
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Request-ID $req_id;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header Host $best_http_host;
      rewrite (.*) / break;
      proxy_pass http://${upstream};
    }`,
      )
      .join("\n");

  /** What an Ingress's annotations put into its location. */
  const ingressLocation = (annotations: Record<string, string>) => {
    const codes = codesOf(annotations[`${annotation}custom-http-errors`] ?? "");
    const intercept = annotations[`${annotation}disable-proxy-intercept-errors`] !== "true";
    return [
      "set $best_http_host $http_host;",
      `client_max_body_size ${annotations[`${annotation}proxy-body-size`]};`,
      "proxy_read_timeout 1s;",
      "proxy_http_version 1.1;",
      "proxy_set_header Host $best_http_host;",
      "proxy_set_header X-Request-ID $req_id;",
      intercept ? "proxy_intercept_errors on;" : "",
      ...codes.map((code) => `error_page ${code} = @custom_${customBackend}_${code};`),
    ].join("\n      ");
  };

  beforeAll(async () => {
    const api = find(prod, "Ingress", "ecom-api").metadata.annotations!;
    const login = find(prod, "Ingress", "ecom-api-login").metadata.annotations!;
    const { config } = controllerValues.controller;
    const globalCodes = codesOf(config["custom-http-errors"]!);
    const locationCodes = [
      ...new Set([
        ...codesOf(api[`${annotation}custom-http-errors`]!),
        ...codesOf(login[`${annotation}custom-http-errors`]!),
      ]),
    ];
    const rpm = Number(login[`${annotation}limit-rpm`]);
    const burst = rpm * Number(login[`${annotation}limit-burst-multiplier`]);
    const edgePort = Number(new URL(edgeUrl).port);

    // The services behind the Ingress: answers of their own, one that never comes.
    service = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      idleTimeout: 30,
      async fetch(request) {
        const path = new URL(request.url).pathname;
        const own = (status: number) =>
          Response.json(
            { error: { code: "FROM_SERVICE", message: `its own ${status}`, requestId: "svc" } },
            { status },
          );
        if (path === "/api/orders/hang") await release.promise;
        if (path.startsWith("/api/orders/own-")) return own(Number(path.slice("/api/orders/own-".length)));
        return Response.json({ ok: true });
      },
    });
    frontPort = freePort();
    const refusedPort = freePort();

    front = await runNginx({
      ports: [frontPort],
      args: (confFile) => ["-c", confFile, "-e", "stderr", "-g", "daemon off;"],
      config: (dir) => `
${process.getuid?.() === 0 ? "user root;" : ""}
worker_processes 1;
pid ${dir}/front.pid;
events { worker_connections 256; }
http {
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  access_log off;
  # generate-request-id (default true): the client's id as sent, else nginx's own.
  map $http_x_request_id $req_id {
    default $http_x_request_id;
    "" $request_id;
  }
  # The controller's default large-client-header-buffers.
  large_client_header_buffers 4 8k;
  limit_req_status ${config["limit-req-status-code"]};
  limit_req_zone $binary_remote_addr zone=login:1m rate=${rpm}r/m;
  # custom-http-errors from the ConfigMap; with disable-proxy-intercept-errors, no proxy_intercept_errors.
  ${config["disable-proxy-intercept-errors"] === "true" ? "" : "proxy_intercept_errors on;"}
  ${globalCodes.map((code) => `error_page ${code} = @custom_upstream-default-backend_${code};`).join("\n  ")}

  upstream upstream-default-backend { server 127.0.0.1:${edgePort}; }
  upstream ${customBackend} { server 127.0.0.1:${edgePort}; }
  upstream services { server 127.0.0.1:${service.port}; }
  upstream refusing { server 127.0.0.1:${refusedPort}; }

  server {
    listen 127.0.0.1:${frontPort} default_server;
    location = /api/users/login {
      ${ingressLocation(login)}
      limit_req zone=login burst=${burst} nodelay;
      proxy_pass http://services;
    }
    location /api/products/ {
      ${ingressLocation(api)}
      proxy_pass http://refusing;
    }
    # A Service without endpoints: the controller sends the request itself to the custom default backend.
    location /api/users/ {
      ${ingressLocation(api)}
      proxy_set_header X-Code 503;
      proxy_set_header X-Format $http_accept;
      proxy_pass http://${customBackend};
    }
    location /api/orders {
      ${ingressLocation(api)}
      proxy_pass http://services;
    }
    # No Ingress routes the rest: the default backend (--default-backend-service).
    location / {
      proxy_set_header X-Request-ID $req_id;
      proxy_pass http://upstream-default-backend;
    }
${customErrors("upstream-default-backend", globalCodes)}
${customErrors(customBackend, locationCodes)}
  }
}
`,
    });
  });

  afterAll(async () => {
    release.resolve();
    await front?.stop();
    service?.stop(true);
  });

  const viaFront = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${frontPort}${path}`, init);
  const raw = (request: string) => rawRequest(frontPort, request);

  test("a request no Ingress routes → 404 NOT_FOUND", async () => {
    const response = await viaFront("/trpc/user.get", { headers: { "x-request-id": "front-404" } });
    await expectAnswer(response, "none", "front-404");
  });

  test("request headers over the controller's buffers (494) → 431 HEADERS_TOO_LARGE, one large or many together", async () => {
    const expectRaw = (response: RawResponse, expected: Case, id: string) => {
      expect(response.status).toBe(statusOf[expected]);
      expect(response.headers["content-type"]).toBe("application/json");
      expect(response.headers["x-request-id"]).toBe(id);
      expect(response.body).toBe(bodies(id)[expected]);
    };
    const request = (headers: string[]) => raw(`GET /api/orders HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
    const big = `X-Big: ${"a".repeat(9000)}`;
    expectRaw(await request(["Host: api", "X-Request-ID: front-431", big]), "494", "front-431");
    // Each fits a buffer, together they do not: the controller forwards the ~28 KB it parsed.
    const parts = Array.from({ length: 6 }, (_, i) => `X-Part-${i}: ${"b".repeat(7000)}`);
    expectRaw(await request(["Host: api", "X-Request-ID: front-431b", ...parts]), "494", "front-431b");
    // An id after the header that overflows was never read: the controller's own id.
    const late = await request(["Host: api", big, "X-Request-ID: front-431c"]);
    expect(late.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expectRaw(late, "494", late.headers["x-request-id"]!);
  });

  test("malformed request headers (HTTP/1.1 without Host, a Host with a slash, a broken header line) → 400 VALIDATION_ERROR", async () => {
    for (const headers of [
      ["X-Request-ID: front-400"],
      ["X-Request-ID: front-400", "Host: a/b"],
      ["Host: api", "X-Request-ID: front-400", "Bad Header"],
    ]) {
      const response = await raw(`GET /api/orders HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`);
      expect({ headers, status: response.status }).toEqual({ headers, status: 400 });
      expect(response.headers["content-type"]).toBe("application/json");
      expect(response.headers["x-request-id"]).toBe("front-400");
      expect(response.body).toBe(bodies("front-400")["400"]);
    }
  });

  // Pinned so that a change shows: nginx refuses to hand a request it could not give a URI to a named
  // location ("empty URI in redirect to named location"), and the controller's error pages are named
  // locations. tools/nginx's `error_page 400 @bad_request` answers these 500 as well.
  test("known limit: a request line nginx cannot parse → nginx's own 500, not the error shape", async () => {
    for (const line of ["GET /a b c HTTP/1.1", "G@T / HTTP/1.1", "GET /api/orders\x01 HTTP/1.1"]) {
      const response = await raw(`${line}\r\nHost: api\r\n\r\n`);
      expect({ line, status: response.status, type: response.headers["content-type"] }).toEqual({
        line,
        status: 500,
        type: "text/html",
      });
    }
  });

  test("a body over proxy-body-size → 413 PAYLOAD_TOO_LARGE at once (the body is never waited for)", async () => {
    const started = performance.now();
    const response = await viaFront("/api/orders", {
      method: "POST",
      headers: { "x-request-id": "front-413", "content-type": "application/json" },
      body: "x".repeat(3 << 20),
    });
    await expectAnswer(response, "413", "front-413");
    expect(performance.now() - started).toBeLessThan(900);
  });

  test("a service that refuses → 502, one that does not answer in time → 504, one without endpoints → 503", async () => {
    await expectAnswer(
      await viaFront("/api/products/p-1", { headers: { "x-request-id": "front-502" } }),
      "502",
      "front-502",
    );
    await expectAnswer(
      await viaFront("/api/orders/hang", { headers: { "x-request-id": "front-504" } }),
      "504",
      "front-504",
    );
    await expectAnswer(
      await viaFront("/api/users/me", { headers: { "x-request-id": "front-503" } }),
      "503",
      "front-503",
    );
  });

  test("the login limit → 429 RATE_LIMITED with Retry-After once the burst is spent", async () => {
    const login = find(prod, "Ingress", "ecom-api-login").metadata.annotations!;
    const burst =
      Number(login[`${annotation}limit-rpm`]) * Number(login[`${annotation}limit-burst-multiplier`]);
    let passed = 0;
    let refused: Response | undefined;
    while (!refused && passed <= burst + 1) {
      const response = await viaFront("/api/users/login", {
        method: "POST",
        headers: { "x-request-id": "front-429" },
      });
      if (response.status === 200) passed++;
      else refused = response;
      if (response.status === 200) await response.arrayBuffer();
    }
    expect(passed).toBeGreaterThanOrEqual(burst);
    await expectAnswer(refused!, "429", "front-429");
    expect(refused!.headers.get("retry-after")).toBe(String(retryAfter));
  });

  test("a service's own 400/413/429/503 answers pass untouched, though those codes are listed", async () => {
    for (const status of [400, 413, 429, 503]) {
      const response = await viaFront(`/api/orders/own-${status}`);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({
        error: { code: "FROM_SERVICE", message: `its own ${status}`, requestId: "svc" },
      });
    }
  });

  test("a hostile request id sent through the controller is replaced, not echoed", async () => {
    const response = await viaFront("/api/products/p-1", { headers: { "x-request-id": '"},"x":"\\' } });
    const own = response.headers.get("x-request-id") ?? "";
    expect(own).toMatch(/^[0-9a-f]{32}$/);
    expect(await response.text()).toBe(bodies(own)["502"]);
  });
});
