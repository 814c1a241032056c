import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { freePort, type ServiceProcess, startPostgres, startServiceProcess } from "@ecom/test-harness";
import { generateSigningKey, signingKeyToPem } from "../src/keys/signing-key.ts";

const entry = join(import.meta.dir, "..", "src", "index.ts");
const pg = await startPostgres();
const replicas: ServiceProcess[] = [];

beforeAll(async () => {
  const env = {
    DATABASE_URL: pg.url,
    JWT_PRIVATE_KEY: await signingKeyToPem(await generateSigningKey()),
    INTERNAL_SERVICE_TOKEN: "replica-test-internal-token",
    LOGIN_RATE_LIMIT_MAX: "4",
  };
  // The first replica migrates alone; the second joins the same database, as in a rolling start.
  replicas.push(await startServiceProcess({ entry, port: freePort(), env }));
  replicas.push(await startServiceProcess({ entry, port: freePort(), env }));
});
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.kill("SIGKILL")));
  await pg.stop();
});

const post = (replica: ServiceProcess, path: string, body: unknown) =>
  fetch(`${replica.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("two user-service replicas on one database", () => {
  test("share one login limit: guesses spread over both replicas add up", async () => {
    const [a, b] = replicas as [ServiceProcess, ServiceProcess];
    const account = { email: `replicas-${Date.now()}@shop.test`, password: "correct-horse-1" };
    const registered = await post(a, "/api/users/register", { ...account, firstName: "Ada", lastName: "L" });
    expect(registered.status).toBe(201);

    // Eight parallel wrong guesses, four on each replica: exactly the limit's four are checked.
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post(i % 2 ? a : b, "/api/users/login", { email: account.email, password: "wrong-password" }),
      ),
    );
    const statuses = guesses.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);

    // Now the right password is refused on both replicas alike.
    for (const replica of [a, b]) {
      const reply = await post(replica, "/api/users/login", account);
      expect(reply.status).toBe(429);
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });
});
