import type { z } from "zod";

/** INTERNAL_SERVICE_TOKEN's default: lets a laptop run without secrets, refused in production. */
export const LOCAL_SERVICE_TOKEN = "local-dev-internal-service-token";

/**
 * The one production rule every service states: no local fallback. In production each variable in
 * `required` must be set (no embedded database, no generated key…) and the internal service token
 * must not be the shared local default. Call it from the service's `superRefine`.
 */
export function refuseLocalFallbacks(
  env: { NODE_ENV: string; INTERNAL_SERVICE_TOKEN: string } & Record<string, unknown>,
  ctx: z.RefinementCtx,
  required: readonly string[] = [],
): void {
  if (env.NODE_ENV !== "production") return;
  for (const name of required) {
    if (env[name] === undefined)
      ctx.addIssue({ code: "custom", path: [name], message: "is required in production" });
  }
  if (env.INTERNAL_SERVICE_TOKEN === LOCAL_SERVICE_TOKEN) {
    ctx.addIssue({
      code: "custom",
      path: ["INTERNAL_SERVICE_TOKEN"],
      message: "must be set to a secret in production",
    });
  }
}
