import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type E2eSystem, startSystem } from "./support/system.ts";

let system: E2eSystem;

beforeAll(async () => {
  system = await startSystem({ instances: 1, bunGateway: true });
}, 240_000);
afterAll(async () => {
  await system?.stop();
}, 60_000);

/** `bun run ecom smoke …` from the repository root, as an engineer or CI runs it. */
async function ecomSmoke(...args: string[]): Promise<{ exitCode: number; stderr: string }> {
  const proc = Bun.spawn([process.execPath, "run", "ecom", "smoke", ...args], {
    cwd: join(import.meta.dir, ".."),
    env: {
      ...process.env,
      NO_COLOR: "1",
      ECOM_SMOKE_EMAIL: system.admin.email,
      ECOM_SMOKE_PASSWORD: system.admin.password,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stderr, exitCode] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  await new Response(proc.stdout).text();
  return { exitCode, stderr };
}

describe("ecom smoke against the running system", () => {
  test("passes through nginx (HTTPS, self-signed): every service reachable, catalog read, smoke login", async () => {
    const result = await ecomSmoke(system.gatewayUrl, "--insecure");
    expect(result.stderr).toContain("✓ smoke: user-service reachable (JWKS)");
    expect(result.stderr).toContain("✓ smoke: order-service reachable (401 without a token)");
    expect(result.stderr).toContain("✓ smoke: catalog read");
    expect(result.stderr).toContain("✓ smoke: smoke account login");
    expect(result.exitCode).toBe(0);
  }, 60_000);

  test("passes through the Bun gateway (the local `bun run dev` front door)", async () => {
    const result = await ecomSmoke(system.bunGatewayUrl ?? "");
    expect(result.stderr).toContain("✓ smoke: smoke account login");
    expect(result.exitCode).toBe(0);
  }, 60_000);

  test("fails, naming the check, when the product service is down", async () => {
    await system.stopInstance("products", 0);
    const result = await ecomSmoke(system.gatewayUrl, "--insecure");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("✗ smoke: catalog read");
    expect(result.stderr).toContain("/api/products?limit=1: expected HTTP 200");
  }, 60_000);
});
