import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@ecom/test-harness";
import { runCeiling, startBareServer } from "./ceilings/run-ceiling.ts";
import { CATEGORIES, type Fixtures } from "./fixtures.ts";
import { runLoad } from "./load/run-load.ts";
import type { BenchOptions } from "./options.ts";
import { type CeilingName, LIST_LIMIT } from "./scenarios.ts";
import type { LatencySummary } from "./stats/percentiles.ts";
import { type ProcessGroups, startWindow } from "./stats/resource-sampler.ts";

export type CeilingResult = {
  name: CeilingName;
  description: string;
  operationsPerSecond: number;
  latencyMs: LatencySummary;
  errors: number;
  /** CPU seconds per 1,000 operations of the process doing the work (server or client), and of the database. */
  cpuPer1k: Record<string, number>;
};

/** The ceilings, measured in the same run and on the same servers as the scenarios. */
export async function runCeilings(
  productsUrl: string,
  fixtures: Fixtures,
  system: { mongoUrl: string; mongoDbName: string; ceilingDbUrl: string; processGroups: ProcessGroups },
  options: BenchOptions,
): Promise<CeilingResult[]> {
  const results: CeilingResult[] = [];
  const sample = fixtures.catalog[0]?.id as string;

  // HTTP: the exact bytes of a product GET, from a bare Bun.serve.
  const bodyFile = join(tmpdir(), `bench-product-${crypto.randomUUID()}.json`);
  writeFileSync(bodyFile, await (await fetch(`${productsUrl}/api/products/${sample}`)).bytes());
  const bare = await startBareServer(freePort(), bodyFile);
  try {
    const load = {
      baseUrl: bare.baseUrl,
      connections: options.connections,
      requests: fixtures.catalog.map((p) => ({ method: "GET" as const, path: `/api/products/${p.id}` })),
    };
    await runLoad({ ...load, durationSec: options.warmupSec });
    const window = startWindow({ server: () => [bare.pid] });
    const run = await runLoad({ ...load, durationSec: options.durationSec });
    const usage = window.stop();
    results.push({
      name: "http",
      description: "bare Bun.serve answering a product's JSON (no routing, validation, logs or database)",
      operationsPerSecond: run.requestsPerSecond,
      latencyMs: run.latencyMs,
      errors: run.errors + run.timeouts,
      cpuPer1k: { server: ((usage.cpuSeconds.server ?? 0) / run.responses) * 1000 },
    });
  } finally {
    await bare.stop();
    rmSync(bodyFile, { force: true });
  }

  const dbWindow = async (group: string, work: () => ReturnType<typeof runCeiling>) => {
    const window = startWindow({ db: system.processGroups[group] ?? (() => []) });
    const out = await work();
    const usage = window.stop();
    // The database is sampled around the whole process, warm-up included: keep the measured share.
    const measuredShare = options.durationSec / (options.durationSec + options.warmupSec);
    return { out, dbCpu: (usage.cpuSeconds.db ?? 0) * measuredShare };
  };
  /** A ceiling run by a client script against a database: CPU of the client and of the database. */
  const dbResult = (
    name: CeilingName,
    description: string,
    db: "mongo" | "postgres",
    { out, dbCpu }: Awaited<ReturnType<typeof dbWindow>>,
  ): CeilingResult => ({
    name,
    description,
    operationsPerSecond: out.operationsPerSecond,
    latencyMs: out.latencyMs,
    errors: out.errors,
    cpuPer1k: { client: (out.cpuSeconds / out.operations) * 1000, [db]: (dbCpu / out.operations) * 1000 },
  });
  const timing = { durationSec: options.durationSec, warmupSec: options.warmupSec };

  const mongoCeiling = async (
    name: CeilingName,
    description: string,
    script: "mongo-find-by-id.ts" | "mongo-list.ts",
    args: Record<string, unknown>,
  ) => {
    const mongo = await dbWindow("mongo", () =>
      runCeiling(script, {
        url: system.mongoUrl,
        dbName: system.mongoDbName,
        concurrency: options.connections,
        ...args,
        ...timing,
      }),
    );
    results.push(dbResult(name, description, "mongo", mongo));
  };
  await mongoCeiling(
    "mongo.findById",
    "mongoose findById().lean() on the same mongo server, same pool size, no HTTP",
    "mongo-find-by-id.ts",
    { ids: fixtures.catalog.map((p) => p.id) },
  );
  await mongoCeiling(
    "mongo.list",
    `the list's find(category, active).sort(price, _id).limit(${LIST_LIMIT}).lean() + countDocuments, in parallel, no HTTP`,
    "mongo-list.ts",
    { categories: CATEGORIES, limit: LIST_LIMIT },
  );

  const pg = await dbWindow("postgres", () =>
    runCeiling("pg-order-insert.ts", {
      url: system.ceilingDbUrl,
      productIds: fixtures.stocked.map((p) => p.id),
      userIds: fixtures.customers.map((c) => c.userId),
      poolSize: 10,
      concurrency: options.orderConnections,
      ...timing,
    }),
  );
  results.push(
    dbResult(
      "pg.orderInsert",
      "one transaction inserting an order and its 2 lines (Kysely, pg pool of 10), no HTTP",
      "postgres",
      pg,
    ),
  );
  return results;
}
