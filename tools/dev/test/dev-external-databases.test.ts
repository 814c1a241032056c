import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { type MongoServer, type PostgresServer, startMongo, startPostgres } from "@ecom/test-harness";
import { SQL } from "bun";
import { descendants, hangBoundMs, startDev, startedUp, waitForOutput } from "./dev-process.ts";

let postgres: PostgresServer;
let mongo: MongoServer;
let ordersUrl: string;
let dev: ReturnType<typeof startDev>;

beforeAll(async () => {
  postgres = await startPostgres();
  ordersUrl = await postgres.createDatabase();
  mongo = await startMongo();
  dev = startDev({ DATABASE_URL_USERS: postgres.url, DATABASE_URL_ORDERS: ordersUrl, MONGO_URL: mongo.url });
  await waitForOutput(dev, "start-up", startedUp);
}, hangBoundMs + 60_000);

afterAll(async () => {
  if (dev.proc.exitCode === null) {
    for (const pid of descendants(dev.proc.pid)) process.kill(pid, "SIGKILL");
    dev.proc.kill("SIGKILL");
  }
  rmSync(dev.env.DEV_DATA_DIR!, { recursive: true, force: true });
  await mongo?.stop();
  await postgres?.stop();
}, 60_000);

async function count(url: string, query: (sql: SQL) => Promise<{ n: string }[]>): Promise<number> {
  const sql = new SQL(url);
  try {
    return Number((await query(sql))[0]!.n);
  } finally {
    await sql.close();
  }
}

test("DATABASE_URL_USERS, DATABASE_URL_ORDERS and MONGO_URL put the data in external databases", async () => {
  const text = dev.lines.join("\n");
  expect(text).toContain(`Products: ${mongo.url} (external)`);
  expect(text).toContain("Users: DATABASE_URL_USERS (external PostgreSQL)");
  expect(text).not.toContain("starting the embedded mongo server");

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${dev.gatewayUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const email = `external-${crypto.randomUUID()}@example.com`;
  const reg = await post("/api/users/register", {
    email,
    password: "password123",
    firstName: "E",
    lastName: "X",
  });
  expect(reg.status).toBe(201);
  const { accessToken } = (await reg.json()) as { accessToken: string };
  const { items } = (await (await fetch(`${dev.gatewayUrl}/api/products?inStock=true&limit=1`)).json()) as {
    items: { id: string }[];
  };
  const order = await post(
    "/api/orders",
    {
      items: [{ productId: items[0]!.id, quantity: 1 }],
      shippingAddress: { line1: "1 Main St", city: "Berlin", postalCode: "10115", country: "DE" },
      paymentMethod: "card",
    },
    accessToken,
  );
  expect(order.status).toBe(201);

  expect(
    await count(postgres.url, (sql) => sql`select count(*) as n from users where email = ${email}`),
  ).toBe(1);
  expect(await count(ordersUrl, (sql) => sql`select count(*) as n from orders`)).toBe(1);

  dev.proc.kill("SIGINT");
  expect(await dev.proc.exited).toBe(0);
}, 120_000);
