import { Elysia } from "elysia";

/** Resolves when the service's own database answers; rejects (or times out) otherwise. */
export type ReadinessCheck = () => Promise<void>;

const READY_TIMEOUT_MS = 2_000;

function withTimeout(check: ReadinessCheck): Promise<void> {
  return Promise.race([
    check(),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("readiness check timed out")), READY_TIMEOUT_MS),
    ),
  ]);
}

export function healthRoutes(ready: ReadinessCheck) {
  return new Elysia({ name: "health" })
    .get("/health/live", () => ({ status: "ok" }), { detail: { hide: true } })
    .get(
      "/health/ready",
      async ({ set, requestId }: { set: { status?: number | string }; requestId?: string }) => {
        try {
          await withTimeout(ready);
          return { status: "ready" };
        } catch {
          set.status = 503;
          return {
            error: {
              code: "DEPENDENCY_UNAVAILABLE",
              message: "Database is unreachable",
              requestId: requestId ?? "",
            },
          };
        }
      },
      { detail: { hide: true } },
    );
}
