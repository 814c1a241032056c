import { describe, expect, test } from "bun:test";
import { createTestIssuer, freePort } from "@ecom/test-harness";
import { base64url, exportJWK, generateKeyPair, SignJWT } from "jose";
import {
  createTokenVerifier,
  isValidServiceToken,
  localKeySet,
  remoteKeySet,
  requireAdmin,
  requireSelfOrAdmin,
} from "../src/index.ts";

const issuer = await createTestIssuer();
const verifier = createTokenVerifier({ keySet: issuer.keySet, issuer: issuer.issuer });
const userId = crypto.randomUUID();

const rejects = (token: string) =>
  expect(verifier.verify(token)).rejects.toMatchObject({ status: 401, errorCode: "UNAUTHORIZED" });

describe("access token verification", () => {
  test("accepts a token signed by the issuer", async () => {
    expect(await verifier.verify(await issuer.sign({ sub: userId, role: "customer" }))).toEqual({
      userId,
      role: "customer",
    });
  });

  test("rejects an expired token", async () => {
    await rejects(await issuer.sign({ sub: userId, role: "customer" }, { expiresInSeconds: -10 }));
  });

  test("rejects a tampered payload", async () => {
    const [h, p, s] = (await issuer.sign({ sub: userId, role: "customer" })).split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    const forged = base64url.encode(JSON.stringify({ ...claims, role: "admin" }));
    await rejects(`${h}.${forged}.${s}`);
  });

  test("rejects alg none", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ sub: userId, role: "admin", iss: issuer.issuer, iat: now, exp: now + 600 }),
    );
    await rejects(`${header}.${payload}.`);
  });

  test("rejects HS256 signed with the public key as the secret", async () => {
    const publicJwk = issuer.jwks.keys[0]!;
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256", kid: publicJwk.kid })
      .setSubject(userId)
      .setIssuer(issuer.issuer)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(secret);
    await rejects(token);
  });

  test("rejects a token from another key or another issuer", async () => {
    const other = await createTestIssuer();
    await rejects(await other.sign({ sub: userId, role: "admin" }));
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "EdDSA" }] };
    const strict = createTokenVerifier({ keySet: localKeySet(jwks), issuer: "expected-issuer" });
    const token = await new SignJWT({ role: "customer" })
      .setProtectedHeader({ alg: "EdDSA", kid: "k1" })
      .setSubject(userId)
      .setIssuer("someone-else")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
    await expect(strict.verify(token)).rejects.toMatchObject({ status: 401 });
  });

  test("rejects an unknown role claim", async () => {
    const token = await issuer.sign({ sub: userId, role: "superuser" as "admin" });
    await rejects(token);
  });
});

describe("roles and the internal credential", () => {
  test("admin guard and self-or-admin guard", () => {
    expect(() => requireAdmin({ userId, role: "customer" })).toThrow();
    expect(() => requireAdmin({ userId, role: "admin" })).not.toThrow();
    expect(() => requireSelfOrAdmin({ userId, role: "customer" }, userId)).not.toThrow();
    expect(() => requireSelfOrAdmin({ userId, role: "customer" }, crypto.randomUUID())).toThrow();
    expect(() => requireSelfOrAdmin({ userId, role: "admin" }, crypto.randomUUID())).not.toThrow();
  });

  test("service token comparison", () => {
    expect(isValidServiceToken("secret-token-123456", "secret-token-123456")).toBe(true);
    expect(isValidServiceToken("secret-token-123457", "secret-token-123456")).toBe(false);
    expect(isValidServiceToken("short", "secret-token-123456")).toBe(false);
    expect(isValidServiceToken(null, "secret-token-123456")).toBe(false);
  });
});

describe("remote key set", () => {
  test("an unreachable JWKS endpoint is a 503, not a 401", async () => {
    const down = createTokenVerifier({
      keySet: remoteKeySet(`http://127.0.0.1:${freePort()}/jwks.json`),
      issuer: issuer.issuer,
    });
    await expect(down.verify(await issuer.sign({ sub: userId, role: "customer" }))).rejects.toMatchObject({
      status: 503,
      errorCode: "DEPENDENCY_UNAVAILABLE",
    });
  });

  test("a served JWKS verifies tokens, and garbage is still a 401", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json(issuer.jwks) });
    try {
      const remote = createTokenVerifier({
        keySet: remoteKeySet(`http://127.0.0.1:${server.port}/jwks.json`),
        issuer: issuer.issuer,
      });
      expect(await remote.verify(await issuer.sign({ sub: userId, role: "admin" }))).toEqual({
        userId,
        role: "admin",
      });
      await expect(remote.verify("not.a.jwt")).rejects.toMatchObject({ status: 401 });
    } finally {
      server.stop(true);
    }
  });
});
