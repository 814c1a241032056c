import { describe, expect, test } from "bun:test";
import { errorBodySchema } from "@ecom/errors";
import { createLogger, createMetrics } from "@ecom/observability";
import { allowedMethods } from "../src/allowed-methods.ts";
import { createServiceApp } from "../src/index.ts";

function build() {
  return createServiceApp({
    name: "allow-test",
    title: "Allow",
    version: "1.0.0",
    description: "test",
    logger: createLogger({ service: "allow-test", sink: () => {} }),
    metrics: createMetrics("allow-test"),
    ready: async () => {},
  })
    .get("/api/things", () => [])
    .post("/api/things", () => ({}))
    .get("/api/things/:id", () => ({}))
    .delete("/api/things/:id", () => undefined)
    .post("/api/things/register", () => ({}));
}

const call = (app: ReturnType<typeof build>, method: string, path: string) =>
  app.handle(new Request(`http://localhost${path}`, { method }));

describe("a known path asked with another method", () => {
  test("is a 405 with Allow, in the error shape", async () => {
    const app = build();
    for (const method of ["PUT", "TRACE", "OPTIONS", "PATCH"]) {
      const res = await call(app, method, "/api/things/7");
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD");
      expect(res.headers.get("x-request-id")).toBeTruthy();
      const body = errorBodySchema.parse(await res.json());
      expect(body.error.code).toBe("METHOD_NOT_ALLOWED");
      expect(body.error.details).toEqual({ allowed: ["DELETE", "GET", "HEAD"] });
    }
    expect((await call(app, "DELETE", "/api/things")).headers.get("allow")).toBe("GET, HEAD, POST");
  });

  test("names the methods of the most specific route, as the router picks it", async () => {
    const res = await call(build(), "PUT", "/api/things/register");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  test("an unknown path stays a 404", async () => {
    const res = await call(build(), "PUT", "/api/nothing/here");
    expect(res.status).toBe(404);
    expect(res.headers.get("allow")).toBeNull();
    expect(errorBodySchema.parse(await res.json()).error.code).toBe("NOT_FOUND");
  });
});

test("allowedMethods reads wildcards, optional parameters and routes added later", () => {
  const routes = [
    { method: "POST", path: "/trpc/*" },
    { method: "GET", path: "/files/:name?" },
  ];
  const allowed = allowedMethods(() => routes);
  expect(allowed("/trpc/a/b")).toEqual(["POST"]);
  expect(allowed("/files")).toEqual(["GET", "HEAD"]);
  expect(allowed("/files/a")).toEqual(["GET", "HEAD"]);
  expect(allowed("/files/a/b")).toEqual([]);
  routes.push({ method: "PUT", path: "/files/:name" });
  expect(allowed("/files/a")).toEqual(["GET", "HEAD", "PUT"]);
});
