import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { commonEnv, loadConfig, refuseLocalFallbacks } from "../src/index.ts";

const schema = z
  .object({ ...commonEnv, DATABASE_URL: z.url().optional() })
  .superRefine((env, ctx) => refuseLocalFallbacks(env, ctx, ["DATABASE_URL"]));

describe("refuseLocalFallbacks", () => {
  test("outside production the local fallbacks are fine", () => {
    expect(loadConfig(schema, {}).DATABASE_URL).toBeUndefined();
  });

  test("production names the first missing fallback, then the shared local token", () => {
    expect(() => loadConfig(schema, { NODE_ENV: "production" })).toThrow(
      "Invalid environment variable DATABASE_URL: is required in production",
    );
    expect(() => loadConfig(schema, { NODE_ENV: "production", DATABASE_URL: "postgres://db/x" })).toThrow(
      "Invalid environment variable INTERNAL_SERVICE_TOKEN: must be set to a secret in production",
    );
    const env = loadConfig(schema, {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://db/x",
      INTERNAL_SERVICE_TOKEN: "a-real-secret-of-enough-length",
    });
    expect(env.INTERNAL_SERVICE_TOKEN).toBe("a-real-secret-of-enough-length");
  });
});
