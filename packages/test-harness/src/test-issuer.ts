import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  SignJWT,
} from "jose";

export type TestIssuer = {
  issuer: string;
  jwks: JSONWebKeySet;
  keySet: JWTVerifyGetKey;
  /** Signs a real EdDSA access token, as the user service would. */
  sign(
    claims: { sub: string; role: "customer" | "admin" },
    options?: { expiresInSeconds?: number },
  ): Promise<string>;
};

/**
 * A real Ed25519 key pair for services tested without a running user service: tokens are signed
 * and verified with real crypto, only the issuer process is left out.
 */
export async function createTestIssuer(issuer = "ecom-user-service"): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const kid = crypto.randomUUID();
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" }] };
  return {
    issuer,
    jwks,
    keySet: createLocalJWKSet(jwks),
    sign: (claims, options) =>
      new SignJWT({ role: claims.role })
        .setProtectedHeader({ alg: "EdDSA", kid })
        .setSubject(claims.sub)
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (options?.expiresInSeconds ?? 900))
        .sign(privateKey),
  };
}
