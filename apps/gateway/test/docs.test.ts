import { afterAll, describe, expect, test } from "bun:test";
import { closedPortUrl, startGateway, startUpstream } from "./gateway-harness.ts";

const spec = (title: string, path: string) => ({
  openapi: "3.0.3",
  info: { title, version: "1" },
  paths: { [path]: { get: { summary: `List <${title}>` } } },
});
const users = startUpstream((r) =>
  new URL(r.url).pathname === "/openapi.json"
    ? Response.json(spec("Users", "/api/users"))
    : new Response("", { status: 404 }),
);
const products = startUpstream(() => Response.json(spec("Products", "/api/products")));
const gateway = startGateway({ users: users.url, products: products.url, orders: closedPortUrl() });
afterAll(() => {
  gateway.stop();
  users.stop();
  products.stop();
});

describe("/docs", () => {
  test("one page lists every service's operations and links their OpenAPI documents", async () => {
    const res = await fetch(`${gateway.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    for (const name of ["users", "products", "orders"])
      expect(html).toContain(`href="/docs/${name}/openapi.json"`);
    expect(html).toContain("<code>/api/users</code>");
    expect(html).toContain("List &#60;Products&#62;");
    expect(html).toContain("not reachable");
  });

  test("each service's OpenAPI document is served through the gateway", async () => {
    const res = await fetch(`${gateway.url}/docs/users/openapi.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { info: { title: string } }).info.title).toBe("Users");
    expect(new URL(users.seen.at(-1)!.url).pathname).toBe("/openapi.json");
  });

  test("a service that is down → 502 for its document", async () => {
    const res = await fetch(`${gateway.url}/docs/orders/openapi.json`);
    expect(res.status).toBe(502);
  });
});
