import { ValidationFailedError } from "@ecom/errors";
import { z } from "zod";

/**
 * Reads a query string with a zod object schema, straight from the URL. Elysia's own parser for
 * zod schemas splits values at commas and JSON-parses values in brackets or braces, which would turn
 * `q=red, blue` into an array and `q={"$gt":""}` into an object; here every value stays the literal
 * text the client sent, and a repeated parameter is an error instead of an array.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, url: string): z.infer<S> {
  const params = new URL(url).searchParams;
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    raw[key] = values.length === 1 ? (values[0] as string) : values;
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ValidationFailedError(
    "Request is invalid",
    result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  );
}

/** The same schema as OpenAPI query (or header) parameters, so the docs come from the one definition. */
export function openapiParameters(schema: z.ZodObject, location: "query" | "header" = "query") {
  const json = z.toJSONSchema(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}
