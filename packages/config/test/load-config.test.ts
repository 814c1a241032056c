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

  test("TRUSTED_PROXIES takes a comma-separated list of addresses and CIDRs, and names a bad entry", () => {
    const env = { DATABASE_URL: "postgres://x/y" };
    expect(loadConfig(schema, env).TRUSTED_PROXIES).toEqual([]);
    expect(
      loadConfig(schema, { ...env, TRUSTED_PROXIES: " 10.0.0.0/8, ::1 ,fd00::/8" }).TRUSTED_PROXIES,
    ).toEqual(["10.0.0.0/8", "::1", "fd00::/8"]);
    expect(() => loadConfig(schema, { ...env, TRUSTED_PROXIES: "10.0.0.0/8,10.0.0.0/33" })).toThrow(
      'Invalid environment variable TRUSTED_PROXIES: "10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR',
    );
  });
});
