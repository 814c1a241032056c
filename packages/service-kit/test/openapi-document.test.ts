import { expect, test } from "bun:test";
import { errorBodySchema } from "@ecom/errors";
import { createLogger, createMetrics } from "@ecom/observability";
import { z } from "zod";
import { bearerSecurity, createServiceApp, noContent } from "../src/index.ts";

type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, unknown> };
};

async function documentOf() {
  const app = createServiceApp({
    name: "doc-test",
    title: "Doc",
    version: "1.0.0",
    description: "test",
    logger: createLogger({ service: "doc-test", sink: () => {} }),
    metrics: createMetrics("doc-test"),
    ready: async () => {},
  })
    .get("/api/things", ({ query }) => ({ page: query.page }), {
      query: z.object({ page: z.coerce.number().int().min(1).default(1), q: z.string().optional() }),
      response: { 200: z.object({ page: z.number() }), 404: errorBodySchema },
    })
    .post("/api/things", ({ body }) => body, {
      body: z.object({ price: z.number().multipleOf(0.01) }).strict(),
      response: { 200: z.object({ price: z.number() }) },
      detail: { security: bearerSecurity },
    })
    .delete(
      "/api/things/:id",
      ({ set }) => {
        set.status = 204;
      },
      { response: { 204: noContent } },
    );
  const res = await app.handle(new Request("http://localhost/openapi.json"));
  const again = await (await app.handle(new Request("http://localhost/openapi.json"))).json();
  const doc = (await res.json()) as Doc;
  expect(again).toEqual(doc);
  return { doc, app };
}

test("the error body is one named component, and every reference to it resolves", async () => {
  const { doc } = await documentOf();
  const text = JSON.stringify(doc);
  expect(text).not.toContain("$defs");
  expect(text).not.toContain('"$schema"');
  expect(doc.components.schemas.Error).toEqual(
    (z.toJSONSchema(errorBodySchema) as unknown as { $defs: { Error: unknown } }).$defs.Error,
  );
  const refs = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
  expect(refs.length).toBeGreaterThan(0);
  expect(new Set(refs)).toEqual(new Set(["#/components/schemas/Error"]));
});

test("defaulted query parameters are optional, and request bodies are JSON only", async () => {
  const { doc } = await documentOf();
  const list = doc.paths["/api/things"]!.get as { parameters: { name: string; required: boolean }[] };
  expect(list.parameters.map((p) => [p.name, p.required])).toEqual([
    ["page", false],
    ["q", false],
  ]);
  const create = doc.paths["/api/things"]!.post as {
    requestBody: { content: Record<string, { schema: { properties: { price: unknown } } }> };
  };
  expect(Object.keys(create.requestBody.content)).toEqual(["application/json"]);
  expect(create.requestBody.content["application/json"]!.schema.properties.price).toEqual({
    type: "number",
    multipleOf: 0.01,
  });
});

test("statuses the edge answers are listed with the error body; a 204 has no content", async () => {
  const { doc } = await documentOf();
  const statuses = (method: string, path: string) =>
    Object.keys((doc.paths[path]![method] as { responses: object }).responses).sort();
  expect(statuses("get", "/api/things")).toEqual(["200", "400", "404"]);
  expect(statuses("post", "/api/things")).toEqual(["200", "400", "401", "413"]);
  expect(statuses("delete", "/api/things/{id}")).toEqual(["204", "400"]);
  const responses = (doc.paths["/api/things"]!.post as { responses: Record<string, Record<string, unknown>> })
    .responses;
  expect(responses["401"]).toEqual({
    description: "Missing, invalid or expired access token (`UNAUTHORIZED`)",
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  const deleted = (doc.paths["/api/things/{id}"]!.delete as { responses: Record<string, object> }).responses;
  expect(deleted["204"]).toEqual({ description: "Done; no content" });
});

test("a 204 route still answers with no body", async () => {
  const { app } = await documentOf();
  const res = await app.handle(new Request("http://localhost/api/things/1", { method: "DELETE" }));
  expect(res.status).toBe(204);
  expect(await res.text()).toBe("");
});
