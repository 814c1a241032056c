import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct, type Fixture, productBody, startFixture } from "./support/fixture.ts";

type List = { items: { name: string }[]; total: number };

let f: Fixture;
let productId: string;
const list = async (query: string) => {
  const res = await f.call("GET", `/api/products?${query}`);
  return { status: res.status, body: (await res.json()) as List & { error?: { code: string } } };
};

beforeAll(async () => {
  f = await startFixture();
  await createProduct(f, { name: "Plain Lamp", description: "A lamp", category: "home", tags: ["light"] });
  await createProduct(f, {
    name: "Regex .* Book",
    description: "Title has regex chars (a|b)",
    category: "books",
  });
  await createProduct(f, {
    name: "Curly",
    description: 'Mentions {"$gt":""} literally, red, blue',
    category: "misc",
  });
  productId = (await createProduct(f, { name: "Target", category: "home", stock: 10 })).id;
});
afterAll(() => f.close());

describe("query injection stays literal", () => {
  test("regex metacharacters in q match only themselves", async () => {
    expect((await list("q=.*")).body.items.map((i) => i.name)).toEqual(["Regex .* Book"]);
    expect((await list(`q=${encodeURIComponent("(a|b)")}`)).body.total).toBe(1);
    expect((await list(`q=${encodeURIComponent("^P")}`)).body.total).toBe(0);
    expect((await list(`q=${encodeURIComponent("[")}`)).body.total).toBe(0);
    expect((await list(`q=${encodeURIComponent("\\")}`)).status).toBe(200);
  });

  test("operator objects and JSON in query values are plain text", async () => {
    const curly = await list(`q=${encodeURIComponent('{"$gt":""}')}`);
    expect(curly.status).toBe(200);
    expect(curly.body.items.map((i) => i.name)).toEqual(["Curly"]);
    expect((await list(`q=${encodeURIComponent("red, blue")}`)).body.total).toBe(1);
    expect((await list(`q=${encodeURIComponent('[".*"]')}`)).body.total).toBe(0);
    for (const query of [
      `category=${encodeURIComponent('{"$ne":"x"}')}`,
      `category=${encodeURIComponent('{"$gt":""}')}`,
      `tags=${encodeURIComponent('{"$exists":true}')}`,
    ]) {
      const res = await list(query);
      expect({ query, status: res.status, total: res.body.total }).toEqual({ query, status: 200, total: 0 });
    }
    // Bracket keys are unknown parameters, refused like unknown body fields.
    for (const query of ["category[$ne]=x", "tags[$ne]=x", "q[$regex]=.*", "$where=1"]) {
      expect((await list(query)).status).toBe(400);
    }
  });

  test("repeated parameters are refused rather than turned into arrays", async () => {
    for (const query of ["q=a&q=b", "category=home&category=books", "limit=1&limit=2"]) {
      expect((await list(query)).status).toBe(400);
    }
  });

  test("operator objects in JSON bodies are 400 and change nothing", async () => {
    const before = await (await f.call("GET", `/api/products/${productId}`)).json();
    const bodies = [
      { path: `/api/products/${productId}`, method: "PATCH", body: { name: { $gt: "" } } },
      { path: `/api/products/${productId}`, method: "PATCH", body: { category: { $ne: null } } },
      { path: `/api/products/${productId}`, method: "PATCH", body: { $set: { stock: 1000 } } },
      { path: `/api/products/${productId}`, method: "PATCH", body: { tags: [{ $gt: "" }] } },
      { path: `/api/products/${productId}/stock`, method: "PATCH", body: { quantity: { $gt: 0 } } },
      { path: `/api/products/${productId}/stock`, method: "PATCH", body: { quantity: "5" } },
      {
        path: `/api/products/${productId}/stock`,
        method: "PATCH",
        body: { quantity: 5, $inc: { stock: 1 } },
      },
      { path: "/api/products", method: "POST", body: productBody({ price: { $gt: 0 } }) },
      { path: "/api/products", method: "POST", body: productBody({ _id: "chosen" }) },
    ];
    for (const { path, method, body } of bodies) {
      const res = await f.call(method, path, { token: f.adminToken, body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(await (await f.call("GET", `/api/products/${productId}`)).json()).toEqual(before);
  });

  test("an id that looks like an operator is just an unknown id", async () => {
    const id = encodeURIComponent('{"$gt":""}');
    expect((await f.call("GET", `/api/products/${id}`)).status).toBe(404);
    expect(
      (await f.call("PATCH", `/api/products/${id}/stock`, { token: f.adminToken, body: { quantity: 1 } }))
        .status,
    ).toBe(404);
  });
});
