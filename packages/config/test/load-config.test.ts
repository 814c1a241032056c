import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { ConfigError, commonEnv, loadConfig } from "../src/index.ts";

const schema = z.object({
  ...commonEnv,
  PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  DATABASE_URL: z.url(),
});

describe("loadConfig", () => {
  test("applies defaults and coerces numbers", () => {
    const cfg = loadConfig(schema, { DATABASE_URL: "postgres://localhost/x", PORT: "4000" });
    expect(cfg.PORT).toBe(4000);
    expect(cfg.LOG_LEVEL).toBe("info");
  });

  test("a missing variable is named in one line", () => {
    expect(() => loadConfig(schema, {})).toThrow(
      new ConfigError("Invalid environment variable DATABASE_URL: is required"),
    );
  });

  test("a malformed variable is named with the reason", () => {
    try {
      loadConfig(schema, { DATABASE_URL: "postgres://x/y", PORT: "nope" });
      throw new Error("expected failure");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toStartWith("Invalid environment variable PORT:");
      expect((error as Error).message).not.toContain("\n");
    }
  });

  test("empty strings count as unset", () => {
    expect(loadConfig(schema, { DATABASE_URL: "postgres://x/y", LOG_LEVEL: "" }).LOG_LEVEL).toBe("info");
  });
});
