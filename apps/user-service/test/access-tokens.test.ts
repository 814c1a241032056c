import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTokenVerifier, remoteKeySet } from "@ecom/auth";
import { createTestIssuer, startPostgres } from "@ecom/test-harness";
import { decodeProtectedHeader, exportSPKI, importJWK, SignJWT } from "jose";
import { call, expectError, register } from "./support/http.ts";
import { createTestApp, type TestApp } from "./support/test-app.ts";

const pg = await startPostgres();
let t: TestApp;
let customer: Awaited<ReturnType<typeof register>>;
beforeAll(async () => {
  t = await createTestApp(pg.url);
  customer = await register(t.app);
});
afterAll(async () => {
  await t.close();
  await pg.stop();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({
  sub: customer.user.id,
  role: "customer",
  iss: t.config.JWT_ISSUER,
  iat: now(),
  exp: now() + 600,
});
const meWith = (token: string) => call(t.app, "GET", "/api/users/me", { token });

describe("access tokens", () => {
  test("carry sub, role, iat, exp, iss and a kid from the JWKS", async () => {
    const [header, payload] = customer.accessToken
      .split(".")
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
    expect(header).toMatchObject({ alg: "EdDSA", kid: t.signingKey.kid });
    expect(payload).toMatchObject({ sub: customer.user.id, role: "customer", iss: "ecom-user-service" });
    expect(payload.exp - payload.iat).toBe(900);
    const jwks = await call(t.app, "GET", "/api/users/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get("cache-control")).toContain("max-age");
    const keys = (jwks.body as { keys: Record<string, string>[] }).keys;
    expect(keys).toEqual([t.signingKey.publicJwk]);
    expect(keys[0]).not.toHaveProperty("d");
  });

  test("another service verifies them with the published JWKS alone", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (r) => t.app.handle(r) });
    try {
      const verifier = createTokenVerifier({
        keySet: remoteKeySet(`http://127.0.0.1:${server.port}/api/users/.well-known/jwks.json`),
        issuer: "ecom-user-service",
      });
      expect(await verifier.verify(customer.accessToken)).toEqual({
        userId: customer.user.id,
        role: "customer",
      });
    } finally {
      server.stop(true);
    }
  });

  test("no Authorization header or a non-Bearer scheme → 401", async () => {
    expectError(await call(t.app, "GET", "/api/users/me"), 401, "UNAUTHORIZED");
    expectError(
      await call(t.app, "GET", "/api/users/me", {
        headers: { authorization: `Basic ${customer.accessToken}` },
      }),
      401,
      "UNAUTHORIZED",
    );
  });

  test("an expired token → 401", async () => {
    const expired = await new SignJWT({ role: "customer" })
      .setProtectedHeader({ alg: "EdDSA", kid: t.signingKey.kid })
      .setSubject(customer.user.id)
      .setIssuer(t.config.JWT_ISSUER)
      .setIssuedAt(now() - 3600)
      .setExpirationTime(now() - 1800)
      .sign(t.signingKey.privateKey);
    expectError(await meWith(expired), 401, "UNAUTHORIZED");
  });

  test("a tampered payload (role raised to admin) → 401", async () => {
    const [header, , signature] = customer.accessToken.split(".");
    const forged = `${header}.${b64({ ...claims(), role: "admin" })}.${signature}`;
    expectError(await meWith(forged), 401, "UNAUTHORIZED");
    expectError(await call(t.app, "GET", "/api/users", { token: forged }), 401, "UNAUTHORIZED");
  });

  test('`alg: "none"` → 401', async () => {
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims(), role: "admin" })}.`;
    expectError(await meWith(unsigned), 401, "UNAUTHORIZED");
  });

  test("HS256 signed with the public key as the secret → 401", async () => {
    const publicKey = await importJWK(t.signingKey.publicJwk, "EdDSA");
    const pem = await exportSPKI(publicKey as CryptoKey);
    for (const secret of [pem, JSON.stringify(t.signingKey.publicJwk), t.signingKey.publicJwk.x]) {
      const token = await new SignJWT({ role: "admin" })
        .setProtectedHeader({ alg: "HS256", kid: t.signingKey.kid })
        .setSubject(customer.user.id)
        .setIssuer(t.config.JWT_ISSUER)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(new TextEncoder().encode(secret));
      expect(decodeProtectedHeader(token).alg).toBe("HS256");
      expectError(await meWith(token), 401, "UNAUTHORIZED");
    }
  });

  test("a token signed by another key, or for another issuer → 401", async () => {
    const stranger = await createTestIssuer();
    expectError(
      await meWith(await stranger.sign({ sub: customer.user.id, role: "customer" })),
      401,
      "UNAUTHORIZED",
    );
    const wrongIssuer = await new SignJWT({ role: "customer" })
      .setProtectedHeader({ alg: "EdDSA", kid: t.signingKey.kid })
      .setSubject(customer.user.id)
      .setIssuer("someone-else")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(t.signingKey.privateKey);
    expectError(await meWith(wrongIssuer), 401, "UNAUTHORIZED");
  });

  test("garbage → 401", async () => {
    expectError(await meWith("not.a.jwt"), 401, "UNAUTHORIZED");
  });
});
