import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BOOT_BOUND_MS,
  freePort,
  type ServiceProcess,
  startPostgres,
  startServiceProcess,
  waitUntil,
} from "@ecom/test-harness";
import { generateSigningKey, signingKeyToPem } from "../src/keys/signing-key.ts";

const entry = join(import.meta.dir, "..", "src", "index.ts");
const pg = await startPostgres();
const admin = { email: "ops-admin@shop.test", password: "ops-admin-password" };
let pem: string;
let service: ServiceProcess | undefined;

beforeAll(async () => {
  pem = await signingKeyToPem(await generateSigningKey());
});
afterAll(async () => {
  if (service?.proc.exitCode === null) await service.kill("SIGKILL");
  await pg.stop();
});

const post = (baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** POSTs being served and logins answered, from one /metrics snapshot (one hook moves both). */
const loginProgress = async (baseUrl: string) => {
  const lines = (await (await fetch(`${baseUrl}/metrics`)).text()).split("\n");
  const value = (match: (l: string) => boolean) => Number(lines.find(match)?.split(" ").at(-1) ?? 0);
  return {
    inFlight: value((l) => l.startsWith("http_requests_in_flight{") && l.includes('method="POST"')),
    answered: value(
      (l) =>
        l.startsWith("http_request_duration_seconds_count{") &&
        l.includes('route="/api/users/login"') &&
        l.includes('status="200"'),
    ),
  };
};

describe("user-service as a real process", () => {
  test("boots on PostgreSQL with the configured key and admin, and logs no secrets", async () => {
    const svc = await startServiceProcess({
      entry,
      port: freePort(),
      env: {
        DATABASE_URL: pg.url,
        JWT_PRIVATE_KEY: pem,
        JWT_KEY_ID: "process-test-key",
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        INTERNAL_SERVICE_TOKEN: "process-test-internal-token",
        SHUTDOWN_TIMEOUT_MS: "10000",
      },
    });
    service = svc;
    const { baseUrl } = svc;
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
    const jwks = (await (await fetch(`${baseUrl}/api/users/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(["process-test-key"]);

    const login = await post(baseUrl, "/api/users/login", admin, { "x-request-id": "process-login-1" });
    expect(login.status).toBe(200);
    expect(login.headers.get("x-request-id")).toBe("process-login-1");
    const { accessToken } = (await login.json()) as { accessToken: string };
    const list = await fetch(`${baseUrl}/api/users?limit=5`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { total: number }).total).toBe(1);

    // The access-log line is written after the response is sent, then piped to us.
    await waitUntil(() => svc.lines().some((l) => l.includes('"trace.id":"process-login-1"')));
    const logs = svc.lines().join("\n");
    expect(logs).not.toContain(admin.password);
    expect(logs).not.toContain("PRIVATE KEY");
    expect(logs).not.toContain(pem.split("\n")[1]);
  });

  test("SIGTERM lets in-flight requests finish, then the process exits 0", async () => {
    const running = service;
    if (!running) throw new Error("the previous test starts the service");
    const before = (await loginProgress(running.baseUrl)).answered;
    // Several logins at once keep argon2 busy for a few hundred milliseconds.
    const slow = Array.from({ length: 4 }, () =>
      post(running.baseUrl, "/api/users/login", admin).then((r) => r.status),
    );
    // SIGTERM once every login has reached the service (one still on its way would find it closed)
    // and one is still being worked on; the last to arrive keeps argon2 busy long enough to be seen.
    await waitUntil(async () => {
      const { inFlight, answered } = await loginProgress(running.baseUrl);
      return inFlight > 0 && inFlight + answered - before === slow.length;
    });
    const exited = running.kill("SIGTERM");
    expect(await Promise.all(slow)).toEqual([200, 200, 200, 200]);
    expect(await exited).toBe(0);
    const lines = running.lines();
    expect(lines.some((l) => l.includes('"message":"shutting down"'))).toBe(true);
    expect(lines.some((l) => l.includes('"message":"stopped"'))).toBe(true);
    await expect(fetch(`${running.baseUrl}/health/live`)).rejects.toThrow();
  });

  test(
    "with nothing configured it runs on embedded PGlite and generates a dev key",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "user-service-dev-"));
      const dev = await startServiceProcess({
        entry,
        port: freePort(),
        env: { DATA_DIR: dataDir },
      });
      try {
        expect((await fetch(`${dev.baseUrl}/health/ready`)).status).toBe(200);
        expect(existsSync(join(dataDir, "jwt-signing-key.json"))).toBe(true);
        const reply = await post(dev.baseUrl, "/api/users/register", {
          email: "dev@shop.test",
          password: "dev-password",
          firstName: "Dev",
          lastName: "Eloper",
        });
        expect(reply.status).toBe(201);
        expect(await dev.kill("SIGTERM")).toBe(0);
      } finally {
        if (dev.proc.exitCode === null) await dev.kill("SIGKILL");
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    // Booting PGlite takes seconds, more on a loaded machine, also when this file runs alone.
    BOOT_BOUND_MS,
  );

  test("an unreachable database at start-up is one error line and exit 1", async () => {
    const proc = Bun.spawn(["bun", entry], {
      env: {
        ...process.env,
        DATABASE_URL: `postgres://postgres@127.0.0.1:${freePort()}/users_db`,
        PORT: String(freePort()),
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    const stdout = await new Response(proc.stdout).text();
    expect(stdout).toContain("start-up failed: could not prepare the users database");
    expect(await new Response(proc.stderr).text()).toBe("");
  });

  test("production without a signing key stops with one line naming JWT_PRIVATE_KEY", async () => {
    const proc = Bun.spawn(["bun", entry], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: pg.url,
        INTERNAL_SERVICE_TOKEN: "a-production-secret-token",
        JWT_PRIVATE_KEY: "",
        PORT: String(freePort()),
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    const stderr = await new Response(proc.stderr).text();
    expect(stderr.trim()).toBe("Invalid environment variable JWT_PRIVATE_KEY: is required in production");
  });
});
