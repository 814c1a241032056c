import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "@ecom/config";
import { createLocalJWKSet, jwtVerify } from "jose";
import { configSchema } from "../src/config.ts";
import { loadSigningKey } from "../src/keys/load-signing-key.ts";
import { generateSigningKey, signingKeyFromPem, signingKeyToPem } from "../src/keys/signing-key.ts";
import { createAccessTokenIssuer } from "../src/tokens/access-token-issuer.ts";
import { manualClock } from "./support/manual-clock.ts";

const tempDir = () => mkdtempSync(join(tmpdir(), "user-service-keys-"));

describe("config", () => {
  test("runs with nothing configured outside production", () => {
    const config = loadConfig(configSchema, {});
    expect(config).toMatchObject({
      PORT: 3001,
      JWT_ISSUER: "ecom-user-service",
      LOGIN_RATE_LIMIT_MAX: 5,
      LOGIN_RATE_LIMIT_WINDOW_SECONDS: 60,
    });
    expect(config.DATA_DIR).toEndWith(join(".data", "user-service"));
    expect(config.DATABASE_URL).toBeUndefined();
  });

  test.each([
    [{}, "DATABASE_URL"],
    [{ DATABASE_URL: "postgres://db/users_db" }, "JWT_PRIVATE_KEY"],
    [{ DATABASE_URL: "postgres://db/users_db", JWT_PRIVATE_KEY: "pem" }, "INTERNAL_SERVICE_TOKEN"],
  ])("production without a needed variable names it (%o)", (env, name) => {
    expect(() => loadConfig(configSchema, { NODE_ENV: "production", ...env })).toThrow(
      new RegExp(`^Invalid environment variable ${name}:`),
    );
  });

  test("production with everything set passes", () => {
    const env = {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://db/users_db",
      JWT_PRIVATE_KEY: "pem",
      INTERNAL_SERVICE_TOKEN: "a-real-secret-of-enough-length",
    };
    expect(loadConfig(configSchema, env).NODE_ENV).toBe("production");
  });

  test("password hashing: one core left free by default, queue of 32", () => {
    const config = loadConfig(configSchema, {});
    expect(config.PASSWORD_HASH_CONCURRENCY).toBe(Math.max(1, availableParallelism() - 1));
    expect(config.PASSWORD_HASH_QUEUE_MAX).toBe(32);
    const set = loadConfig(configSchema, { PASSWORD_HASH_CONCURRENCY: "3", PASSWORD_HASH_QUEUE_MAX: "1" });
    expect([set.PASSWORD_HASH_CONCURRENCY, set.PASSWORD_HASH_QUEUE_MAX]).toEqual([3, 1]);
  });

  test.each([
    ["PASSWORD_HASH_CONCURRENCY", "0"],
    ["PASSWORD_HASH_CONCURRENCY", "-2"],
    ["PASSWORD_HASH_CONCURRENCY", "1.5"],
    ["PASSWORD_HASH_CONCURRENCY", "many"],
    ["PASSWORD_HASH_QUEUE_MAX", "0"],
    ["PASSWORD_HASH_QUEUE_MAX", "-1"],
    ["PASSWORD_HASH_QUEUE_MAX", "2.5"],
  ])("%s=%s is refused, naming the variable", (name, value) => {
    expect(() => loadConfig(configSchema, { [name]: value })).toThrow(
      new RegExp(`^Invalid environment variable ${name}:`),
    );
  });

  test("ADMIN_EMAIL and ADMIN_PASSWORD go together; the email is normalized", () => {
    expect(() => loadConfig(configSchema, { ADMIN_EMAIL: "a@b.test" })).toThrow(/ADMIN_PASSWORD/);
    expect(() => loadConfig(configSchema, { ADMIN_PASSWORD: "long-enough" })).toThrow(/ADMIN_EMAIL/);
    expect(() => loadConfig(configSchema, { ADMIN_EMAIL: "a@b.test", ADMIN_PASSWORD: "short" })).toThrow(
      /ADMIN_PASSWORD/,
    );
    expect(
      loadConfig(configSchema, { ADMIN_EMAIL: " Boss@Shop.Test ", ADMIN_PASSWORD: "long-enough" })
        .ADMIN_EMAIL,
    ).toBe("boss@shop.test");
  });
});

describe("signing key", () => {
  test("outside production one key is generated, kept (0600) and reused", async () => {
    const dir = tempDir();
    try {
      const first = await loadSigningKey({ nodeEnv: "development", dataDir: dir });
      const file = join(dir, "jwt-signing-key.json");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const second = await loadSigningKey({ nodeEnv: "development", dataDir: dir });
      expect(second.kid).toBe(first.kid);
      expect(second.publicJwk).toEqual(first.publicJwk);
      expect(first.publicJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an unreadable key file is a config error, not a silent new key", async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, "jwt-signing-key.json"), "{broken");
      await expect(loadSigningKey({ nodeEnv: "development", dataDir: dir })).rejects.toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("JWT_PRIVATE_KEY and JWT_KEY_ID are used as given, also with escaped newlines", async () => {
    const pem = await signingKeyToPem(await generateSigningKey());
    const key = await loadSigningKey({
      privateKeyPem: pem.replaceAll("\n", "\\n"),
      keyId: "key-2026-11",
      nodeEnv: "production",
      dataDir: "/nonexistent",
    });
    expect(key.kid).toBe("key-2026-11");
    // Without JWT_KEY_ID the kid is the key's thumbprint: stable across restarts and replicas.
    const derived = await signingKeyFromPem(pem);
    expect(derived.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await signingKeyFromPem(pem)).kid).toBe(derived.kid);
    expect(derived.publicJwk.x).toBe(key.publicJwk.x);
  });

  test("production without a key, or a key that is not Ed25519, names JWT_PRIVATE_KEY", async () => {
    await expect(loadSigningKey({ nodeEnv: "production", dataDir: "/nonexistent" })).rejects.toThrow(
      /JWT_PRIVATE_KEY: is required in production/,
    );
    const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
    ]);
    const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", privateKey)).toString("base64");
    const ecPem = `-----BEGIN PRIVATE KEY-----\n${der}\n-----END PRIVATE KEY-----`;
    for (const pem of ["not a pem", ecPem]) {
      const error = await signingKeyFromPem(pem).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(String(error)).toContain("JWT_PRIVATE_KEY");
      expect(String(error)).not.toContain(der.slice(0, 20));
    }
  });

  test("issued tokens verify with the public JWK and follow the clock", async () => {
    const key = await generateSigningKey();
    const clock = manualClock(Date.UTC(2030, 0, 1));
    const issuer = createAccessTokenIssuer({ key, issuer: "iss", ttlSeconds: 60, clock });
    const token = await issuer.sign({ sub: "u1", role: "admin" });
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [key.publicJwk] }), {
      currentDate: clock.now(),
      issuer: "iss",
    });
    expect(payload).toMatchObject({ sub: "u1", role: "admin", iat: Date.UTC(2030, 0, 1) / 1000 });
    expect(payload.exp).toBe(Number(payload.iat) + 60);
  });
});
