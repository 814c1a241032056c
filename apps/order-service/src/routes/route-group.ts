import type { Principal } from "@ecom/auth";
import type { Logger } from "@ecom/observability";
import { Elysia } from "elysia";

/**
 * What the service app derives for every handler (request context and auth plugins, registered once
 * in app.ts). Declared here so route files are typed without registering those plugins again.
 */
export type HandlerContext = {
  requestId: string;
  log: Logger;
  authenticate(): Promise<Principal>;
};

// biome-ignore lint/complexity/noBannedTypes: Elysia's own empty-slot type for decorator, store and resolve
type Empty = {};

export const routeGroup = <Prefix extends string>(prefix: Prefix) =>
  new Elysia<Prefix, { decorator: Empty; store: Empty; derive: HandlerContext; resolve: Empty }>({ prefix });

export const bearerSecurity = [{ bearer: [] }];
