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

/** Runs every check (one step each) and fails at the end naming all that did not pass. */
export async function runSmokeSuite(ops: Ops, target: SmokeTarget, insecure = false): Promise<void> {
  const failed: string[] = [];
  for (const check of smokeChecks(target, ops.env)) {
    try {
      await ops.reporter.step(`smoke: ${check.name}`, async () => {
        const result = await ops.exec
          .http({ method: check.method, url: check.url, json: check.json, insecure })
          .catch((error: unknown) => {
            throw new CheckFailed(
              `${check.method} ${check.url}: ${error instanceof Error ? error.message : error}`,
            );
          });
        if (!result) return;
        const problem = check.verify(result.status, parseBody(result.body));
        if (problem) throw new CheckFailed(`${check.method} ${check.url}: ${problem}`);
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
