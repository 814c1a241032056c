import { UnauthorizedError } from "@ecom/errors";
import { type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Principal } from "./principal.ts";

/** The only algorithm accepted: pinning it rules out `alg: none` and HS256-with-the-public-key tricks. */
export const ACCESS_TOKEN_ALG = "EdDSA";

export type TokenVerifier = { verify(token: string): Promise<Principal> };

export function createTokenVerifier(options: { keySet: JWTVerifyGetKey; issuer: string }): TokenVerifier {
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, options.keySet, {
          issuer: options.issuer,
          algorithms: [ACCESS_TOKEN_ALG],
          requiredClaims: ["sub", "exp", "iat"],
        });
        const role = payload.role;
        if (typeof payload.sub !== "string" || (role !== "customer" && role !== "admin"))
          throw new Error("claims");
        return { userId: payload.sub, role };
      } catch {
        throw new UnauthorizedError();
      }
    },
  };
}
