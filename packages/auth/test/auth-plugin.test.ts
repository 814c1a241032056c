import { expect, test } from "bun:test";
import { createLogger, createMetrics } from "@ecom/observability";
import { createServiceApp } from "@ecom/service-kit";
import { createTestIssuer } from "@ecom/test-harness";
import { authPlugin, createTokenVerifier, requireAdmin } from "../src/index.ts";

const issuer = await createTestIssuer();
const app = createServiceApp({
  name: "auth-test",
  title: "t",
  version: "1",
  description: "t",
  logger: createLogger({ service: "auth-test", sink: () => {} }),
  metrics: createMetrics("auth-test"),
  ready: async () => {},
})
  .use(authPlugin(createTokenVerifier({ keySet: issuer.keySet, issuer: issuer.issuer })))
  .get("/me", async ({ authenticate }) => authenticate())
  .get("/admin", async ({ authenticate }) => {
    requireAdmin(await authenticate());
    return { ok: true };
  })
  .get("/maybe", async ({ optionalPrincipal }) => ({ principal: (await optionalPrincipal()) ?? null }));

const get = (path: string, token?: string) =>
  app.handle(
    new Request(`http://localhost${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
  );

test("bearer token required, verified, and role-guarded", async () => {
  const sub = crypto.randomUUID();
  const customer = await issuer.sign({ sub, role: "customer" });
  expect((await get("/me")).status).toBe(401);
  expect((await get("/me", "not-a-jwt")).status).toBe(401);
  expect(await (await get("/me", customer)).json()).toEqual({ userId: sub, role: "customer" });
  expect((await get("/admin", customer)).status).toBe(403);
  expect((await get("/admin", await issuer.sign({ sub, role: "admin" }))).status).toBe(200);
});

test("optional principal is anonymous without a header and 401 with a bad one", async () => {
  expect(await (await get("/maybe")).json()).toEqual({ principal: null });
  expect((await get("/maybe", "garbage")).status).toBe(401);
});
