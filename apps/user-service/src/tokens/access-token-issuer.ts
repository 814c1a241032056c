import { ACCESS_TOKEN_ALG, type Role } from "@ecom/auth";
import type { Clock } from "@ecom/service-kit";
import { SignJWT } from "jose";
import type { SigningKey } from "../keys/signing-key.ts";

export type AccessTokenIssuer = {
  ttlSeconds: number;
  sign(claims: { sub: string; role: Role }): Promise<string>;
};

/** Short-lived EdDSA JWTs; any service can check them with the public JWKS alone. */
export function createAccessTokenIssuer(options: {
  key: SigningKey;
  issuer: string;
  ttlSeconds: number;
  clock: Clock;
}): AccessTokenIssuer {
  return {
    ttlSeconds: options.ttlSeconds,
    sign: ({ sub, role }) => {
      const iat = Math.floor(options.clock.now().getTime() / 1000);
      return new SignJWT({ role })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: options.key.kid, typ: "JWT" })
        .setSubject(sub)
        .setIssuer(options.issuer)
        .setIssuedAt(iat)
        .setExpirationTime(iat + options.ttlSeconds)
        .sign(options.key.privateKey);
    },
  };
}
