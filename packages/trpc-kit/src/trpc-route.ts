import { isValidServiceToken, SERVICE_TOKEN_HEADER } from "@ecom/auth";
import { UnauthorizedError } from "@ecom/errors";
import type { AnyTRPCRouter } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Elysia } from "elysia";
import type { InternalContext } from "./internal-trpc.ts";

/**
 * Mounts an internal router under `/trpc`. Every call must carry the shared service credential;
 * the request id of the calling service is reused so one id follows an order across services.
 */
export function trpcRoute(router: AnyTRPCRouter, options: { serviceToken: string }) {
  return new Elysia({ name: "trpc" }).all(
    "/trpc/*",
    (ctx) => {
      const { request } = ctx;
      const { requestId, log } = ctx as unknown as InternalContext;
      if (!isValidServiceToken(request.headers.get(SERVICE_TOKEN_HEADER), options.serviceToken)) {
        throw new UnauthorizedError("Missing or invalid internal service credential");
      }
      return fetchRequestHandler({
        endpoint: "/trpc",
        req: request,
        router,
        createContext: (): InternalContext => ({ requestId, log }),
        onError: ({ error, path }) => {
          if (error.code === "INTERNAL_SERVER_ERROR")
            log.warn("trpc procedure failed", { "trpc.path": path, "error.message": error.message });
        },
      });
    },
    { detail: { hide: true }, parse: "none" },
  );
}
