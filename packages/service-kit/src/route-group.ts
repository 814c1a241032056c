import type { Principal } from "@ecom/auth";
import type { Logger } from "@ecom/observability";
import { Elysia } from "elysia";

/**
 * What a service app derives for every handler (the request-context and auth plugins, registered once
 * in its app.ts). Declared here so route files are typed without registering those plugins again.
 */
export type HandlerContext = {
  requestId: string;
  log: Logger;
  authenticate(): Promise<Principal>;
};

type Empty = Record<never, never>;

export const routeGroup = <Prefix extends string>(prefix: Prefix) =>
  new Elysia<Prefix, { decorator: Empty; store: Empty; derive: HandlerContext; resolve: Empty }>({ prefix });

/** OpenAPI security requirement for routes that need a bearer access token. */
export const bearerSecurity = [{ bearer: [] }];
