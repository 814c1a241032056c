import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SERVICE_TOKEN_HEADER } from "@ecom/auth";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { ProductRouter } from "../src/trpc/router.ts";
import { createProduct, type Fixture, SERVICE_TOKEN, startFixture } from "./support/fixture.ts";

let f: Fixture;
let baseUrl: string;
const client = (token: string) =>
  createTRPCClient<ProductRouter>({
    // One HTTP request per call (no batching), so the calls really race on the server.
    links: [httpLink({ url: `${baseUrl}/trpc`, headers: { [SERVICE_TOKEN_HEADER]: token } })],
  });

beforeAll(async () => {
  f = await startFixture();
  f.app.listen({ port: 0, hostname: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${f.app.server?.port}`;
});
afterAll(async () => {
  await f.app.stop();
  await f.close();
});

describe("reserve over real HTTP", () => {
  test("50 parallel single-unit reserves on stock 10: exactly 10 succeed, stock ends at 0", async () => {
    const product = await createProduct(f, { stock: 10 });
    const trpc = client(SERVICE_TOKEN);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        trpc.reserve.mutate({
          orderId: crypto.randomUUID(),
          items: [{ productId: product.id, quantity: 1 }],
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      expect(r).toEqual({
        ok: false,
        reason: "INSUFFICIENT_STOCK",
        shortages: [{ productId: product.id, requested: 1, available: 0 }],
      });
    }
    const [after] = await trpc.getMany.query({ ids: [product.id] });
    expect(after?.stock).toBe(0);
    expect(await f.db.reservations.countDocuments({ status: "reserved" })).toBe(10);
  });

  test("the typed client sees every procedure, and a wrong credential is refused", async () => {
    const product = await createProduct(f, { stock: 2, price: 3.5 });
    const trpc = client(SERVICE_TOKEN);
    const orderId = crypto.randomUUID();
    expect(await trpc.getReservation.query({ orderId })).toEqual({ status: "none" });
    expect(await trpc.reserve.mutate({ orderId, items: [{ productId: product.id, quantity: 2 }] })).toEqual({
      ok: true,
      status: "reserved",
    });
    expect(await trpc.release.mutate({ orderId })).toEqual({ status: "released" });
    expect(await trpc.cancel.mutate({ orderId })).toEqual({ status: "already_released" });
    expect(await trpc.getReservation.query({ orderId })).toEqual({ status: "released" });
    expect((await trpc.getMany.query({ ids: [product.id] }))[0]).toMatchObject({ priceCents: 350, stock: 2 });

    const error = await client("wrong-token-of-some-length")
      .getMany.query({ ids: [product.id] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const raw = await fetch(
      `${baseUrl}/trpc/getMany?input=${encodeURIComponent(JSON.stringify({ ids: [product.id] }))}`,
    );
    expect(raw.status).toBe(401);
    expect((await raw.json()).error.code).toBe("UNAUTHORIZED");
  });
});
