import { UnauthorizedError } from "@ecom/errors";
import { Elysia } from "elysia";
import type { Principal } from "./principal.ts";
import type { TokenVerifier } from "./token-verifier.ts";

const bearer = /^Bearer\s+(\S+)$/i;

/**
 * Gives handlers `authenticate()`, which verifies the bearer token only when a route asks for it,
 * so public routes pay nothing.
 */
export function authPlugin(verifier: TokenVerifier) {
  return new Elysia({ name: "auth" }).derive({ as: "global" }, ({ headers }) => {
    let cached: Promise<Principal> | undefined;
    const authenticate = (): Promise<Principal> => {
      cached ??= (async () => {
        const token = bearer.exec(headers.authorization ?? "")?.[1];
        if (!token) throw new UnauthorizedError();
        return verifier.verify(token);
      })();
      return cached;
    };
    /** Anonymous when no Authorization header is sent; a bad token is still a 401. */
    const optionalPrincipal = async (): Promise<Principal | undefined> =>
      headers.authorization ? authenticate() : undefined;
    return { authenticate, optionalPrincipal };
  });
}
