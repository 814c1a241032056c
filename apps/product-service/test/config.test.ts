import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "@ecom/config";
import { configSchema } from "../src/config.ts";

describe("product service configuration", () => {
  test("local defaults: port 3002, seeding left to NODE_ENV", () => {
    const local = { MONGO_URL: "mongodb://127.0.0.1:27017" };
    const env = loadConfig(configSchema, local);
    expect(env).toMatchObject({
      PORT: 3002,
      MONGO_DB_NAME: "products_db",
      JWT_ISSUER: "ecom-user-service",
      JWKS_URL: "http://127.0.0.1:3001/api/users/.well-known/jwks.json",
      RESERVATION_LEASE_MS: 10_000,
      CATALOG_MAX_AGE_SECONDS: 5,
      CATALOG_STALE_WHILE_REVALIDATE_SECONDS: 30,
    });
    expect(env.SEED_ON_EMPTY).toBeUndefined();
    expect(loadConfig(configSchema, { ...local, SEED_ON_EMPTY: "false", PORT: "4000" })).toMatchObject({
      SEED_ON_EMPTY: false,
      PORT: 4000,
    });
  });

  test("MONGO_URL is required in every mode; production also refuses the local internal token", () => {
    for (const NODE_ENV of ["development", "test", "production"]) {
      expect(() => loadConfig(configSchema, { NODE_ENV })).toThrow(
        new ConfigError("Invalid environment variable MONGO_URL: is required"),
      );
    }
    expect(() =>
      loadConfig(configSchema, { NODE_ENV: "production", MONGO_URL: "mongodb://db:27017" }),
    ).toThrow("INTERNAL_SERVICE_TOKEN");
    const env = loadConfig(configSchema, {
      NODE_ENV: "production",
      MONGO_URL: "mongodb://db:27017",
      INTERNAL_SERVICE_TOKEN: "a-real-secret-of-enough-length",
    });
    expect(env.MONGO_URL).toBe("mongodb://db:27017");
  });

  test("malformed values name the variable", () => {
    expect(() => loadConfig(configSchema, { MONGO_URL: "postgres://x" })).toThrow("MONGO_URL");
    const local = { MONGO_URL: "mongodb://127.0.0.1:27017" };
    expect(() => loadConfig(configSchema, { ...local, SEED_ON_EMPTY: "yes" })).toThrow("SEED_ON_EMPTY");
    expect(() => loadConfig(configSchema, { ...local, PORT: "99999" })).toThrow("PORT");
    for (const value of ["-1", "1.5", "soon", "3601"])
      expect(() => loadConfig(configSchema, { ...local, CATALOG_MAX_AGE_SECONDS: value })).toThrow(
        "CATALOG_MAX_AGE_SECONDS",
      );
    expect(() =>
      loadConfig(configSchema, { ...local, CATALOG_STALE_WHILE_REVALIDATE_SECONDS: "-5" }),
    ).toThrow("CATALOG_STALE_WHILE_REVALIDATE_SECONDS");
    expect(
      loadConfig(configSchema, {
        ...local,
        CATALOG_MAX_AGE_SECONDS: "0",
        CATALOG_STALE_WHILE_REVALIDATE_SECONDS: "0",
      }),
    ).toMatchObject({ CATALOG_MAX_AGE_SECONDS: 0, CATALOG_STALE_WHILE_REVALIDATE_SECONDS: 0 });
  });
});
