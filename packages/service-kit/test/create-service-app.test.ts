import { describe, expect, test } from "bun:test";
import { ConflictError, RateLimitedError } from "@ecom/errors";
import { createLogger, createMetrics } from "@ecom/observability";
import { rawRequest, waitFor, waitUntil } from "@ecom/test-harness";
import { z } from "zod";
import { createServiceApp } from "../src/index.ts";

const errorShape = z
  .object({
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        details: z.unknown().optional(),
        requestId: z.string().min(1),
      })
      .strict(),
  })
  .strict();

function build(ready: () => Promise<void> = async () => {}) {
  const lines: string[] = [];
  const metrics = createMetrics("kit-test");
  const app = createServiceApp({
    name: "kit-test",
    title: "Kit",
    version: "1.0.0",
    description: "test",
    logger: createLogger({ service: "kit-test", sink: (l) => lines.push(l) }),
    metrics,
    ready,
  })
    .post("/api/things/:id", ({ body, requestId }) => ({ body, requestId }), {
      body: z.object({ a: z.number() }).strict(),
    })
    .get("/boom", () => {
      throw new Error("database password is hunter2");
    })
    .get("/taken", () => {
      throw new ConflictError("EMAIL_TAKEN", "Email is already registered");
    })
    .get("/slow-down", () => {
      throw new RateLimitedError(30);
    });
  const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    app.handle(
      new Request(`http://localhost${path}`, {
        method,
        body,
        headers: body ? { "content-type": "application/json", ...headers } : headers,
      }),
    );
  return { app, call, lines, metrics };
}

describe("error shape", () => {
  test("unknown body field is a 400 VALIDATION_ERROR naming the problem", async () => {
    const { call } = build();
    const res = await call("POST", "/api/things/1", JSON.stringify({ a: 1, role: "admin" }));
    expect(res.status).toBe(400);
    const body = errorShape.parse(await res.json());
    expect(body.error.code).toBe("VALIDATION_ERROR");
    expect(JSON.stringify(body.error.details)).toContain("role");
  });

  test("malformed JSON is a 400", async () => {
    const { call } = build();
    const res = await call("POST", "/api/things/1", "{nope");
    expect(res.status).toBe(400);
    expect(errorShape.parse(await res.json()).error.code).toBe("VALIDATION_ERROR");
  });

  test("a crash is a 500 without the message or a stack, and is logged with the request id", async () => {
    const { call, lines } = build();
    const res = await call("GET", "/boom", undefined, { "x-request-id": "req-crash-1" });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("at ");
    expect(errorShape.parse(JSON.parse(text)).error).toMatchObject({
      code: "INTERNAL_ERROR",
      requestId: "req-crash-1",
    });
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l["log.level"] === "error");
    expect(logged?.["trace.id"]).toBe("req-crash-1");
  });

  test("AppErrors keep their status, code and headers", async () => {
    const { call } = build();
    const taken = await call("GET", "/taken");
    expect(taken.status).toBe(409);
    expect(errorShape.parse(await taken.json()).error.code).toBe("EMAIL_TAKEN");
    const limited = await call("GET", "/slow-down");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("30");
  });

  test("unknown route is a 404 in the same shape", async () => {
    const { call } = build();
    const res = await call("GET", "/nowhere");
    expect(res.status).toBe(404);
    expect(errorShape.parse(await res.json()).error.code).toBe("NOT_FOUND");
  });
});

describe("request ids, logs and metrics", () => {
  test("a safe incoming id is echoed, an unsafe one is replaced", async () => {
    const { call } = build();
    const kept = await call("POST", "/api/things/1", JSON.stringify({ a: 1 }), { "x-request-id": "abc-123" });
    expect(kept.headers.get("x-request-id")).toBe("abc-123");
    expect((await kept.json()).requestId).toBe("abc-123");
    const replaced = await call("GET", "/nowhere", undefined, { "x-request-id": "not a safe id <script>" });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("one ECS access-log line per request and RED metrics by route pattern", async () => {
    const { call, lines, metrics } = build();
    await call("POST", "/api/things/42", JSON.stringify({ a: 1 }), { "x-request-id": "log-1" });
    await call("POST", "/api/things/43", JSON.stringify({ a: 1 }));
    // Both are logged after their response is sent, each just after its metrics are recorded.
    const access = await waitFor(
      () => lines.map((l) => JSON.parse(l)).filter((l) => l["http.route"] === "/api/things/:id"),
      (found) => found.length >= 2,
    );
    expect(access).toHaveLength(2);
    expect(access[0]).toMatchObject({
      "log.level": "info",
      "service.name": "kit-test",
      "trace.id": "log-1",
      "http.request.method": "POST",
      "http.response.status_code": 200,
      "url.path": "/api/things/42",
    });
    expect(access[0]?.["@timestamp"]).toMatch(/Z$/);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="POST",route="\/api\/things\/:id",status="200"\} 2/,
    );
    expect(text).toContain('http_requests_in_flight{method="POST",service="kit-test"} 0');
    expect(text).toContain("process_cpu_seconds_total");
  });

  test("/metrics serves Prometheus text", async () => {
    const { call } = build();
    const res = await call("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toContain("# TYPE http_request_duration_seconds histogram");
  });
});

describe("health and docs", () => {
  test("ready is 200 when the check passes and 503 in the error shape when it fails", async () => {
    let up = true;
    const { call } = build(async () => {
      if (!up) throw new Error("connection refused");
    });
    expect((await call("GET", "/health/ready")).status).toBe(200);
    up = false;
    const down = await call("GET", "/health/ready");
    expect(down.status).toBe(503);
    expect(errorShape.parse(await down.json()).error.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect((await call("GET", "/health/live")).status).toBe(200);
  });

  test("OpenAPI lists the service's routes and hides infrastructure routes", async () => {
    const { call } = build();
    const doc = await (await call("GET", "/openapi.json")).json();
    expect(doc.info.title).toBe("Kit");
    expect(Object.keys(doc.paths)).toContain("/api/things/{id}");
    expect(Object.keys(doc.paths)).not.toContain("/metrics");
    expect((await call("GET", "/docs")).status).toBe(200);
  });
});

test("routes with a dot in the path are documented", async () => {
  const app = build().app.get("/api/users/.well-known/jwks.json", () => ({ keys: [] }));
  const doc = await (await app.handle(new Request("http://localhost/openapi.json"))).json();
  expect(Object.keys(doc.paths)).toContain("/api/users/.well-known/jwks.json");
});

test("a hostile Host header gets a 400 in the error shape and does not stop the server", async () => {
  const { app, lines } = build();
  app.listen({ port: 0, hostname: "127.0.0.1" });
  try {
    const port = app.server!.port!;
    const raw = await rawRequest(
      port,
      "GET /api/nowhere?x=1 HTTP/1.1\r\nHost: undefined:undefined\r\nConnection: close\r\n\r\n",
    );
    expect(raw.status).toBe(400);
    expect(raw.body).toContain('"code":"VALIDATION_ERROR"');
    expect(raw.headers["x-request-id"]).toBeTruthy();
    // The access-log line is written after the response is sent.
    await waitUntil(() => lines.some((l) => l.includes('"url.path":"/api/nowhere"')));
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
  } finally {
    await app.stop(true);
  }
});
