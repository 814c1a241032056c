import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { portIsFree } from "../src/port-check.ts";
import { descendants, hangBoundMs, isAlive, startDev, startedUp, waitForOutput } from "./dev-process.ts";

let dev: ReturnType<typeof startDev>;

beforeAll(async () => {
  dev = startDev();
  await waitForOutput(dev, "start-up", startedUp);
}, hangBoundMs + 10_000);

afterAll(() => {
  if (dev.proc.exitCode === null) {
    for (const pid of descendants(dev.proc.pid)) process.kill(pid, "SIGKILL");
    dev.proc.kill("SIGKILL");
  }
  rmSync(dev.env.DEV_DATA_DIR!, { recursive: true, force: true });
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** The JSON part of `[label] {...}` lines. */
const records = (label: string) =>
  dev.lines
    .filter((l) => l.startsWith(`[${label}]`))
    .map((l) => l.slice(l.indexOf("{")))
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("bun run dev", () => {
  test("prints one table of URLs and the admin credentials once", () => {
    const { GATEWAY_PORT, USER_PORT, ORDER_PORT } = dev.ports;
    const text = dev.lines.join("\n");
    expect(text).toContain(`http://localhost:${GATEWAY_PORT}/docs`);
    expect(text).toContain(`http://localhost:${USER_PORT}/metrics`);
    expect(text).toContain(`http://localhost:${ORDER_PORT}/docs`);
    expect(
      dev.lines.filter((l) => l.includes("Admin login: admin@ecom.local / admin-dev-password")),
    ).toHaveLength(1);
  });

  test("the seed's flow works through the gateway: register → login → list products → place order", async () => {
    const g = dev.gatewayUrl;
    const email = `dev-${crypto.randomUUID()}@example.com`;
    const reg = await fetch(
      `${g}/api/users/register`,
      json({ email, password: "password123", firstName: "Dev", lastName: "Test" }),
    );
    expect(reg.status).toBe(201);
    const login = await fetch(`${g}/api/users/login`, json({ email, password: "password123" }));
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const list = await fetch(`${g}/api/products?inStock=true&limit=5`);
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as { items: { id: string; stock: number }[] };
    const product = items[0]!;
    const order = await fetch(
      `${g}/api/orders`,
      json(
        {
          items: [{ productId: product.id, quantity: 1 }],
          shippingAddress: { line1: "1 Main St", city: "Berlin", postalCode: "10115", country: "DE" },
          paymentMethod: "card",
        },
        { authorization: `Bearer ${accessToken}`, "x-request-id": "dev-flow-1" },
      ),
    );
    expect(order.status).toBe(201);
    const after = (await (await fetch(`${g}/api/products/${product.id}`)).json()) as { stock: number };
    expect(after.stock).toBe(product.stock - 1);

    // Each process writes its line when its part is done; they arrive on the pipes in their own time.
    const traced = (label: string) => records(label).some((r) => r["trace.id"] === "dev-flow-1");
    await waitForOutput(dev, "the request id in every log", () =>
      ["gateway", "order", "product", "user"].every(traced),
    );
  }, 60_000);

  test("logs are the services' raw JSON lines behind a [label] prefix when not a TTY", () => {
    const services = {
      user: "user-service",
      product: "product-service",
      order: "order-service",
      gateway: "gateway",
    };
    for (const [label, name] of Object.entries(services)) {
      const lines = records(label);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((r) => r["service.name"] === name)).toBe(true);
    }
    expect(dev.lines.some((l) => l.includes("\x1b["))).toBe(false);
  });

  test("/docs on the gateway lists the three services' OpenAPI documents", async () => {
    const html = await (await fetch(`${dev.gatewayUrl}/docs`)).text();
    for (const name of ["users", "products", "orders"]) expect(html).toContain(`/docs/${name}/openapi.json`);
    expect(html).toContain("/api/orders");
    expect(html).not.toContain("not reachable");
  });

  test("SIGINT stops everything it started: no process left, every port free", async () => {
    const children = descendants(dev.proc.pid);
    expect(children.length).toBeGreaterThanOrEqual(5);
    dev.proc.kill("SIGINT");
    expect(await dev.proc.exited).toBe(0);
    await dev.output;
    expect(children.filter(isAlive)).toEqual([]);
    for (const port of Object.values(dev.ports)) expect(portIsFree(port)).toBe(true);
    expect(dev.lines.at(-1)).toContain("stopped");
  }, 60_000);
});
