import { afterAll, beforeAll, expect, test } from "bun:test";
import { createProduct, type Fixture, startFixture } from "../support/fixture.ts";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
  await createProduct(f, { category: "read-cache", name: "Alpha lamp" });
  await createProduct(f, { category: "read-cache", name: "Beta lamp" });
});
afterAll(() => f.close());

const names = async (path: string) =>
  ((await (await f.call("GET", path)).json()) as { items: { name: string }[] }).items.map((p) => p.name);

test("each search is its own cached read", async () => {
  expect(await names("/api/products?category=read-cache&q=alpha")).toEqual(["Alpha lamp"]);
  expect(await names("/api/products?category=read-cache&q=beta")).toEqual(["Beta lamp"]);
});

test("this replica's writes show at once in cached lists and products", async () => {
  const path = "/api/products?category=read-cache&sort=name";
  expect(await names(path)).toEqual(["Alpha lamp", "Beta lamp"]);
  const created = await createProduct(f, { category: "read-cache", name: "Gamma lamp" });
  expect(await names(path)).toEqual(["Alpha lamp", "Beta lamp", "Gamma lamp"]);

  const stock = async () =>
    ((await (await f.call("GET", `/api/products/${created.id}`)).json()) as { stock: number }).stock;
  const before = await stock();
  const adjusted = await f.call("PATCH", `/api/products/${created.id}/stock`, {
    token: f.adminToken,
    body: { quantity: 3 },
  });
  expect(adjusted.status).toBe(200);
  expect(await stock()).toBe(before + 3);
});
