import { routeGroup } from "@ecom/service-kit";
import type { SigningKey } from "../keys/signing-key.ts";
import { jwksSchema } from "../schemas/jwks.ts";

/** The public half of the signing key; every other service verifies access tokens with it. */
export function jwksRoute(deps: { keys: SigningKey[] }) {
  const jwks = { keys: deps.keys.map((k) => k.publicJwk) };
  return routeGroup("/api/users").get(
    "/.well-known/jwks.json",
    ({ set }) => {
      // Verifiers cache it anyway and refetch on an unknown `kid`; a short max-age keeps rotation quick.
      set.headers["cache-control"] = "public, max-age=300";
      return jwks;
    },
    {
      response: { 200: jwksSchema },
      detail: { summary: "Public keys that verify access tokens (JWKS)", tags: ["Auth"] },
    },
  );
}
