import type { Principal } from "./principal.ts";
import { requireAdmin } from "./principal.ts";

type Authenticating = { authenticate(): Promise<Principal> };

/**
 * Route `transform` hooks. Elysia validates params, query and body after `transform`, so with
 * these a protected route answers 401, then 403, and only then 400: an anonymous caller never
 * learns a schema or costs a validation.
 */
export const signedIn = async ({ authenticate }: Authenticating): Promise<void> => {
  await authenticate();
};

export const adminFirst = async ({ authenticate }: Authenticating): Promise<void> => {
  requireAdmin(await authenticate());
};
