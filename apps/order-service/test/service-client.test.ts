import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DependencyUnavailableError } from "@ecom/errors";
import { createLogger, createMetrics } from "@ecom/observability";
import { createServiceApp } from "@ecom/service-kit";
import { createInternalTrpc, createServiceClient, type DependencyCall, trpcRoute } from "@ecom/trpc-kit";
import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { z } from "zod";

const TOKEN = "service-client-test-token";
const t = createInternalTrpc();
const attempts = new Map<string, number>();
const count = (name: string) => {
  const n = (attempts.get(name) ?? 0) + 1;
  attempts.set(name, n);
  return n;
};

/** A real tRPC router served over real HTTP, with procedures that fail in each way a dependency can. */
const router = t.router({
  whoami: t.procedure.query(({ ctx }) => ({ requestId: ctx.requestId })),
  double: t.procedure.input(z.object({ n: z.number() })).query(({ input }) => input.n * 2),
  missing: t.procedure.query(() => {
    count("missing");
    throw new TRPCError({ code: "NOT_FOUND", message: "no such thing" });
  }),
  broken: t.procedure.query(() => {
    count("broken");
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "boom" });
  }),
  flaky: t.procedure.query(() => {
    if (count("flaky") < 3) throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "warming up" });
    return "ok";
  }),
  slow: t.procedure.query(async () => {
    count("slow");
    await Bun.sleep(400);
    return "late";
  }),
  brokenWrite: t.procedure.mutation(() => {
    count("brokenWrite");
    throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "boom" });
  }),
});
type TestRouter = typeof router;

const server = createServiceApp({
  name: "dependency",
  title: "dependency",
  version: "1",
  description: "test dependency",
  logger: createLogger({ service: "dependency", sink: () => {} }),
  metrics: createMetrics("dependency"),
  ready: async () => {},
}).use(trpcRoute(router, { serviceToken: TOKEN }));

let url: string;
const calls: DependencyCall[] = [];
const clientFor = (options: { token?: string; url?: string; timeoutMs?: number; retries?: number } = {}) =>
  createServiceClient<TestRouter>({
    name: "dependency",
    url: options.url ?? url,
    serviceToken: options.token ?? TOKEN,
    timeoutMs: options.timeoutMs ?? 2_000,
    retries: options.retries ?? 2,
    retryBaseMs: 5,
    onCall: (call) => calls.push(call),
  }).withRequestId("req-123");

beforeAll(() => {
  server.listen({ hostname: "127.0.0.1", port: 0 });
  url = `http://127.0.0.1:${server.server?.port}/`;
});
afterAll(() => server.stop(true));

describe("createServiceClient", () => {
  test("typed calls carry the caller's request id and are recorded as successes", async () => {
    calls.length = 0;
    const client = clientFor();
    expect(await client.whoami.query()).toEqual({ requestId: "req-123" });
    expect(await client.double.query({ n: 21 })).toBe(42);
    expect(calls.map((c) => [c.service, c.procedure, c.outcome])).toEqual([
      ["dependency", "whoami", "success"],
      ["dependency", "double", "success"],
    ]);
    expect(calls.every((c) => c.seconds >= 0)).toBe(true);
  });

  test("business errors pass through unchanged and are not retried", async () => {
    const error = await clientFor()
      .missing.query()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<TestRouter>).data?.code).toBe("NOT_FOUND");
    expect(attempts.get("missing")).toBe(1);
    const invalid = await clientFor()
      .double.query({ n: "x" as unknown as number })
      .catch((e: unknown) => e);
    expect((invalid as TRPCClientError<TestRouter>).data?.code).toBe("BAD_REQUEST");
  });

  test("a 5xx is retried for queries, then becomes DependencyUnavailableError (503)", async () => {
    calls.length = 0;
    const error = await clientFor({ retries: 2 })
      .broken.query()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).status).toBe(503);
    expect((error as DependencyUnavailableError).errorCode).toBe("DEPENDENCY_UNAVAILABLE");
    expect(attempts.get("broken")).toBe(3);
    expect(calls.map((c) => c.outcome)).toEqual(["unavailable", "unavailable", "unavailable"]);
  });

  test("a query that recovers within its retries succeeds", async () => {
    expect(await clientFor({ retries: 3 }).flaky.query()).toBe("ok");
    expect(attempts.get("flaky")).toBe(3);
  });

  test("mutations are never retried", async () => {
    const error = await clientFor({ retries: 3 })
      .brokenWrite.mutate()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(attempts.get("brokenWrite")).toBe(1);
  });

  test("each attempt has its own deadline", async () => {
    const started = performance.now();
    const error = await clientFor({ timeoutMs: 100, retries: 1 })
      .slow.query()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(attempts.get("slow")).toBe(2);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test("nobody listening, or a wrong credential, is unavailable rather than a crash", async () => {
    const down = await clientFor({ url: "http://127.0.0.1:9", retries: 0 })
      .whoami.query()
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(DependencyUnavailableError);
    const refused = await clientFor({ token: "wrong-token-wrong-token", retries: 0 })
      .whoami.query()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DependencyUnavailableError);
  });
});
