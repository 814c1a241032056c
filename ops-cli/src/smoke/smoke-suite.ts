import { CheckFailed } from "../failures.ts";
import type { Ops } from "../ops.ts";
import { SERVICES } from "../settings/services.ts";
import type { SmokeTarget } from "./smoke-target.ts";

interface Check {
  name: string;
  method: "GET" | "POST";
  url: string;
  json?: unknown;
  /** Returns a problem description, or null when the answer is right. */
  verify(status: number, body: unknown): string | null;
}

const expectStatus =
  (expected: number, also?: (body: unknown) => string | null) =>
  (status: number, body: unknown): string | null =>
    status !== expected ? `expected HTTP ${expected}, got ${status}` : (also?.(body) ?? null);

const hasItems = (body: unknown) =>
  Array.isArray((body as { items?: unknown } | null)?.items) ? null : "the answer has no items list";
const hasToken = (body: unknown) =>
  typeof (body as { accessToken?: unknown } | null)?.accessToken === "string"
    ? null
    : "no accessToken in the answer";
const hasKeys = (body: unknown) =>
  Array.isArray((body as { keys?: unknown } | null)?.keys) ? null : "no keys in the JWKS";
const isUnauthorizedError = (body: unknown) =>
  (body as { error?: { code?: unknown } } | null)?.error?.code === "UNAUTHORIZED"
    ? null
    : "not the order service's UNAUTHORIZED error";

export function smokeChecks(target: SmokeTarget, env: Record<string, string | undefined>): Check[] {
  const checks: Check[] = [];
  const base = (service: (typeof SERVICES)[number]["name"]) =>
    target.mode === "direct" ? target.services[service] : target.baseUrl;
  if (target.mode === "direct") {
    for (const { name } of SERVICES) {
      for (const probe of ["live", "ready"]) {
        checks.push({
          name: `${name} /health/${probe}`,
          method: "GET",
          url: `${target.services[name]}/health/${probe}`,
          verify: expectStatus(200),
        });
      }
    }
  } else {
    // The gateway routes only /api/*: reach each service through a public route it alone answers.
    checks.push({
      name: "user-service reachable (JWKS)",
      method: "GET",
      url: `${target.baseUrl}/api/users/.well-known/jwks.json`,
      verify: expectStatus(200, hasKeys),
    });
    checks.push({
      name: "order-service reachable (401 without a token)",
      method: "GET",
      url: `${target.baseUrl}/api/orders`,
      verify: expectStatus(401, isUnauthorizedError),
    });
  }
  checks.push({
    name: "catalog read",
    method: "GET",
    url: `${base("product-service")}/api/products?limit=1`,
    verify: expectStatus(200, hasItems),
  });
  if (env.ECOM_SMOKE_EMAIL && env.ECOM_SMOKE_PASSWORD) {
    checks.push({
      name: "smoke account login",
      method: "POST",
      url: `${base("user-service")}/api/users/login`,
      json: { email: env.ECOM_SMOKE_EMAIL, password: env.ECOM_SMOKE_PASSWORD },
      verify: expectStatus(200, hasToken),
    });
  }
  return checks;
}

export interface SmokeOptions {
  insecure?: boolean;
  /** Tries per check; a pod or a port-forward can need a moment right after a rollout. */
  attempts?: number;
  retryDelayMs?: number;
}

/** `ECOM_SMOKE_ATTEMPTS` (default 3) tries per check, one second apart. */
export function smokeOptions(env: Record<string, string | undefined>, insecure = false): SmokeOptions {
  const attempts = Number(env.ECOM_SMOKE_ATTEMPTS ?? 3);
  return {
    insecure,
    attempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 3,
    retryDelayMs: 1000,
  };
}

async function runCheck(ops: Ops, check: Check, options: SmokeOptions): Promise<void> {
  const result = await ops.exec
    .http({ method: check.method, url: check.url, json: check.json, insecure: options.insecure ?? false })
    .catch((error: unknown) => {
      throw new CheckFailed(
        `${check.method} ${check.url}: ${error instanceof Error ? error.message : error}`,
      );
    });
  if (!result) return;
  const problem = check.verify(result.status, parseBody(result.body));
  if (problem) throw new CheckFailed(`${check.method} ${check.url}: ${problem}`);
}

/** Runs every check (one step each, retried) and fails at the end naming all that did not pass. */
export async function runSmokeSuite(
  ops: Ops,
  target: SmokeTarget,
  options: SmokeOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 1;
  const failed: string[] = [];
  for (const check of smokeChecks(target, ops.env)) {
    try {
      await ops.reporter.step(`smoke: ${check.name}`, async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await runCheck(ops, check, options);
          } catch (error) {
            if (!(error instanceof CheckFailed) || attempt >= attempts) throw error;
            await Bun.sleep(options.retryDelayMs ?? 1000);
          }
        }
      });
    } catch (error) {
      if (!(error instanceof CheckFailed)) throw error;
      failed.push(error.message);
    }
  }
  if (!(ops.env.ECOM_SMOKE_EMAIL && ops.env.ECOM_SMOKE_PASSWORD)) {
    ops.reporter.skip("smoke: login", "set ECOM_SMOKE_EMAIL and ECOM_SMOKE_PASSWORD to test a login");
  }
  if (failed.length > 0) throw new CheckFailed(`smoke tests failed:\n  ${failed.join("\n  ")}`);
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}
