import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import {
  createTestIssuer,
  freePort,
  type MongoServer,
  type ServiceProcess,
  startMongo,
  startServiceProcess,
  type TestIssuer,
} from "@ecom/test-harness";
import { demoCatalog } from "../src/seed/demo-catalog.ts";

const appDir = join(import.meta.dir, "..");
const entry = join(appDir, "src", "index.ts");

let mongo: MongoServer;
let issuer: TestIssuer;
let jwks: ReturnType<typeof Bun.serve>;
let service: ServiceProcess | undefined;
const dbName = `boot_${crypto.randomUUID().slice(0, 8)}`;
const baseEnv = () => ({
  NODE_ENV: "test",
  MONGO_URL: mongo.url,
  MONGO_DB_NAME: dbName,
  JWKS_URL: `http://127.0.0.1:${jwks.port}/jwks.json`,
  INTERNAL_SERVICE_TOKEN: "boot-test-internal-token",
  LOG_LEVEL: "info",
});

beforeAll(async () => {
  mongo = await startMongo();
  issuer = await createTestIssuer();
  jwks = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json(issuer.jwks) });
});
afterAll(async () => {
  if (service?.proc.exitCode === null) await service.kill("SIGKILL");
  jwks.stop(true);
  await mongo.stop();
});

describe("src/index.ts as a process", () => {
  test("boots against MONGO_URL, seeds an empty catalog, verifies tokens through JWKS, drains on SIGTERM", async () => {
    service = await startServiceProcess({ entry, port: freePort(), env: baseEnv() });
    const ready = await fetch(`${service.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    const list = await (await fetch(`${service.baseUrl}/api/products?limit=1`)).json();
    expect(list.total).toBe(demoCatalog.length);

    const token = await issuer.sign({ sub: crypto.randomUUID(), role: "admin" });
    const created = await fetch(`${service.baseUrl}/api/products`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "x-request-id": "boot-1",
      },
      body: JSON.stringify({
        name: "Boot",
        description: "Made at boot",
        price: 1.5,
        category: "misc",
        stock: 1,
      }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-request-id")).toBe("boot-1");

    expect(await service.kill("SIGTERM")).toBe(0);
    const logs = service.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.map((l) => l.message)).toContain("seeded empty catalog with demo products");
    expect(logs.find((l) => l["trace.id"] === "boot-1")?.["http.response.status_code"]).toBe(201);
    expect(logs.at(-1)?.message).toBe("stopped");
  });

  test("a second start finds the catalog filled and does not seed again", async () => {
    service = await startServiceProcess({ entry, port: freePort(), env: baseEnv() });
    const list = await (await fetch(`${service.baseUrl}/api/products?limit=1`)).json();
    expect(list.total).toBe(demoCatalog.length + 1);
    expect(await service.kill("SIGTERM")).toBe(0);
    expect(service.lines().join("\n")).not.toContain("seeded empty catalog");
  });

  test("without MONGO_URL it stops with one config error line naming the variable", async () => {
    const proc = Bun.spawn(["bun", entry], {
      env: { ...process.env, MONGO_URL: "", PORT: String(freePort()) },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    expect((await new Response(proc.stderr).text()).trim()).toBe(
      "Invalid environment variable MONGO_URL: is required",
    );
  });

  test("with no database at MONGO_URL it stops with one structured line, not a stack", async () => {
    const proc = Bun.spawn(["bun", entry], {
      env: {
        ...process.env,
        ...baseEnv(),
        MONGO_URL: `mongodb://127.0.0.1:${freePort()}`,
        PORT: String(freePort()),
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    const lines = (await new Response(proc.stdout).text()).trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      "log.level": "error",
      message: "start-up failed: could not prepare the products database",
    });
    expect(await new Response(proc.stderr).text()).toBe("");
  });
});

describe("bun run seed", () => {
  test("fills a database and is idempotent", async () => {
    const env = { ...process.env, ...baseEnv(), MONGO_DB_NAME: `seed_${crypto.randomUUID().slice(0, 8)}` };
    for (let run = 0; run < 2; run++) {
      const proc = Bun.spawn(["bun", "run", "seed"], { cwd: appDir, env, stdout: "pipe", stderr: "pipe" });
      expect(await proc.exited).toBe(0);
      const line = (await new Response(proc.stdout).text()).split("\n").find((l) => l.includes("seeded"));
      expect(JSON.parse(line ?? "{}")).toMatchObject(
        run === 0
          ? { inserted: demoCatalog.length, existing: 0 }
          : { inserted: 0, existing: demoCatalog.length },
      );
    }
  });
});
