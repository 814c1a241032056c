import { expect, test } from "bun:test";
import { createLogger, createMetrics } from "@ecom/observability";
import { createServiceApp } from "@ecom/service-kit";
import { z } from "zod";
import { createInternalTrpc, trpcRoute } from "../src/index.ts";

const t = createInternalTrpc();
const router = t.router({
  echo: t.procedure
    .input(z.object({ word: z.string() }))
    .query(({ input, ctx }) => ({ word: input.word, requestId: ctx.requestId })),
});
const token = "internal-token-for-tests-0001";
const app = createServiceApp({
  name: "trpc-test",
  title: "t",
  version: "1",
  description: "t",
  logger: createLogger({ service: "trpc-test", sink: () => {} }),
  metrics: createMetrics("trpc-test"),
  ready: async () => {},
}).use(trpcRoute(router, { serviceToken: token }));

const call = (headers: Record<string, string>, input: unknown) =>
  app.handle(
    new Request(`http://localhost/trpc/echo?input=${encodeURIComponent(JSON.stringify(input))}`, { headers }),
  );

test("procedures need the internal credential", async () => {
  const res = await call({}, { word: "hi" });
  expect(res.status).toBe(401);
  expect((await res.json()).error.code).toBe("UNAUTHORIZED");
  expect((await call({ "x-internal-token": "wrong-token-of-same-len-01" }, { word: "hi" })).status).toBe(401);
});

test("a credentialed call runs with the caller's request id", async () => {
  const res = await call({ "x-internal-token": token, "x-request-id": "order-req-7" }, { word: "hi" });
  expect(res.status).toBe(200);
  expect((await res.json()).result.data).toEqual({ word: "hi", requestId: "order-req-7" });
});

test("invalid input is a 400 from tRPC without a stack", async () => {
  const res = await call({ "x-internal-token": token }, { word: 5 });
  expect(res.status).toBe(400);
  expect(await res.text()).not.toContain("    at ");
});
