import { DependencyUnavailableError, UnauthorizedError } from "@ecom/errors";
import { errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Principal } from "./principal.ts";

/** The only algorithm accepted: pinning it rules out `alg: none` and HS256-with-the-public-key tricks. */
export const ACCESS_TOKEN_ALG = "EdDSA";

export type TokenVerifier = { verify(token: string): Promise<Principal> };

/**
 * jose reports every problem with the token itself as a JOSEError; anything else (a refused or timed-out
 * JWKS fetch) means the key set could not be read, which is the user service being down, not a bad token.
 */
const keySetUnreachable = (error: unknown) =>
  error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError);

export function createTokenVerifier(options: { keySet: JWTVerifyGetKey; issuer: string }): TokenVerifier {
  return {
    async verify(token) {
      let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
      try {
        ({ payload } = await jwtVerify(token, options.keySet, {
          issuer: options.issuer,
          algorithms: [ACCESS_TOKEN_ALG],
          requiredClaims: ["sub", "exp", "iat"],
        }));
      } catch (error) {
        if (keySetUnreachable(error))
          throw new DependencyUnavailableError("user service (token signing keys)");
        throw new UnauthorizedError();
      }
      const role = payload.role;
      if (typeof payload.sub !== "string" || (role !== "customer" && role !== "admin"))
        throw new UnauthorizedError();
      return { userId: payload.sub, role };
    },
  };
}
