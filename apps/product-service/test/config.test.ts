import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "@ecom/config";
import { productServiceEnv } from "../src/config.ts";

describe("product service configuration", () => {
  test("local defaults: port 3002, embedded database, seeding left to NODE_ENV", () => {
    const env = loadConfig(productServiceEnv, {});
    expect(env).toMatchObject({
      PORT: 3002,
      MONGO_DB_NAME: "products_db",
      JWT_ISSUER: "ecom-user-service",
      JWKS_URL: "http://127.0.0.1:3001/api/users/.well-known/jwks.json",
      RESERVATION_LEASE_MS: 10_000,
    });
    expect(env.MONGO_URL).toBeUndefined();
    expect(env.SEED_ON_EMPTY).toBeUndefined();
    expect(loadConfig(productServiceEnv, { SEED_ON_EMPTY: "false", PORT: "4000" })).toMatchObject({
      SEED_ON_EMPTY: false,
      PORT: 4000,
    });
  });

  test("production refuses a missing MONGO_URL and the local internal token", () => {
    expect(() => loadConfig(productServiceEnv, { NODE_ENV: "production" })).toThrow(
      new ConfigError("Invalid environment variable MONGO_URL: is required in production"),
    );
    expect(() =>
      loadConfig(productServiceEnv, { NODE_ENV: "production", MONGO_URL: "mongodb://db:27017" }),
    ).toThrow("INTERNAL_SERVICE_TOKEN");
    const env = loadConfig(productServiceEnv, {
      NODE_ENV: "production",
      MONGO_URL: "mongodb://db:27017",
      INTERNAL_SERVICE_TOKEN: "a-real-secret-of-enough-length",
    });
    expect(env.MONGO_URL).toBe("mongodb://db:27017");
  });

  test("malformed values name the variable", () => {
    expect(() => loadConfig(productServiceEnv, { MONGO_URL: "postgres://x" })).toThrow("MONGO_URL");
    expect(() => loadConfig(productServiceEnv, { SEED_ON_EMPTY: "yes" })).toThrow("SEED_ON_EMPTY");
    expect(() => loadConfig(productServiceEnv, { PORT: "99999" })).toThrow("PORT");
  });
});
