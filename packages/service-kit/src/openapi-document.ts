import { errorBodySchema } from "@ecom/errors";
import { openapi } from "@elysiajs/openapi";
import { Elysia, t } from "elysia";
import { z } from "zod";

type Json = Record<string, unknown>;
type Operation = Json & { responses?: Record<string, Json>; requestBody?: Json; security?: unknown[] };

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const ERROR_REF = { $ref: "#/components/schemas/Error" };

/** What the shared edge answers, for any route it applies to; route maps add their own statuses. */
const EDGE_STATUSES: Record<string, string> = {
  "400": "Invalid input (`VALIDATION_ERROR`): refused at the edge (text, size, nesting) or by the schema",
  "401": "Missing, invalid or expired access token (`UNAUTHORIZED`)",
  "413": "Request body is too large (`PAYLOAD_TOO_LARGE`)",
};
const DESCRIPTIONS: Record<string, string> = {
  "200": "Success",
  "201": "Created",
  "204": "Done; no content",
  ...EDGE_STATUSES,
  "403": "Not allowed for this caller (`FORBIDDEN`)",
  "404": "Not found (`NOT_FOUND`)",
  "409": "Conflicts with the current state",
  "429": "Too many attempts (`RATE_LIMITED`); see `Retry-After`",
  "503": "A service or database it needs is unavailable (`DEPENDENCY_UNAVAILABLE`)",
};

/** Response schema of a 204: Elysia checks the handler returned nothing, and the document shows no body. */
export const noContent = t.Void();

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Moves every `$defs` entry into `components.schemas` and points its `$ref`s there. zod writes a
 * schema with an id (the error body) as a `$defs` inside each schema that uses it, with a `$ref`
 * that does not resolve from the document root, so tools skipped every error body.
 */
function liftDefinitions(node: unknown, components: Json): unknown {
  if (Array.isArray(node)) return node.map((item) => liftDefinitions(item, components));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if (key === "$defs" && isObject(value)) {
      for (const [name, schema] of Object.entries(value))
        components[name] ??= liftDefinitions(schema, components);
      continue;
    }
    out[key] =
      key === "$ref" && typeof value === "string"
        ? value.replace(/^#\/\$defs\//, "#/components/schemas/")
        : liftDefinitions(value, components);
  }
  return out;
}

function finishOperation(operation: Operation): void {
  const content = operation.requestBody?.content;
  // Bodies are JSON only (the contract); the generator also lists form encodings.
  if (isObject(content) && isObject(content["application/json"]))
    operation.requestBody = {
      ...operation.requestBody,
      content: { "application/json": content["application/json"] },
    };
  operation.responses ??= {};
  const responses = operation.responses;
  const edge = [
    "400",
    ...(operation.requestBody ? ["413"] : []),
    ...(operation.security?.length ? ["401"] : []),
  ];
  for (const status of edge) responses[status] ??= { content: { "application/json": { schema: ERROR_REF } } };
  for (const [status, response] of Object.entries(responses)) {
    // Neither carries a body, but the generator writes a (malformed) content entry for their void schema.
    if (status === "204" || status === "304") delete response.content;
    const generated =
      typeof response.description !== "string" || response.description.startsWith("Response for");
    response.description = generated ? (DESCRIPTIONS[status] ?? `Status ${status}`) : response.description;
  }
}

/**
 * The generated document made resolvable and complete: named components for shared schemas,
 * JSON-only request bodies, no content on 204, and the statuses every route can answer.
 */
export function finishDocument(document: Json): Json {
  const schemas: Json = {};
  // The error body is referenced by the edge statuses even where no route map names it.
  liftDefinitions(z.toJSONSchema(errorBodySchema), schemas);
  const finished = liftDefinitions(document, schemas) as Json & { components?: Json; paths?: Json };
  finished.components ??= {};
  const components = finished.components;
  components.schemas = { ...(isObject(components.schemas) ? components.schemas : {}), ...schemas };
  for (const item of Object.values(finished.paths ?? {}))
    if (isObject(item))
      for (const method of METHODS) if (isObject(item[method])) finishOperation(item[method] as Operation);
  return finished;
}

type OpenapiConfig = NonNullable<Parameters<typeof openapi>[0]>;

/** @elysiajs/openapi with its document at `specPath` passed through `finishDocument` (once per version). */
export function openapiDocument(config: OpenapiConfig & { specPath: string }) {
  const cache = new WeakMap<object, Json>();
  return new Elysia({ name: "openapi-document" })
    .onAfterHandle(({ path, response }) => {
      if (path !== config.specPath || !isObject(response) || response instanceof Response) return;
      const finished = cache.get(response) ?? finishDocument(response);
      cache.set(response, finished);
      return finished;
    })
    .use(openapi(config));
}
