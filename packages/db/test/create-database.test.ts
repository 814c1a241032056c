import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOOT_BOUND_MS, startPostgres } from "@ecom/test-harness";
import { type Kysely, sql } from "kysely";
import type { Migration } from "kysely/migration";
import { createDatabase, migrateToLatest } from "../src/index.ts";

type DB = { widgets: { id: number; price: string } };

const migrations: Record<string, Migration> = {
  "0001_widgets": {
    up: async (db: Kysely<unknown>) => {
      await db.schema
        .createTable("widgets")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("price", "numeric(12, 2)", (c) => c.notNull())
        .execute();
    },
  },
};

const pg = await startPostgres();
const dir = mkdtempSync(join(tmpdir(), "ecom-pglite-"));
afterAll(async () => {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("PostgreSQL: migrations run once even when replicas start together, numerics stay exact", async () => {
  const replicas = [1, 2, 3].map(() => createDatabase<DB>({ url: pg.url, dataDir: dir }));
  await Promise.all(replicas.map((r) => migrateToLatest(r.db as Kysely<unknown>, migrations)));
  const [first] = replicas;
  await first!.db.insertInto("widgets").values({ id: 1, price: "0.10" }).execute();
  await first!.db.insertInto("widgets").values({ id: 2, price: "0.20" }).execute();
  const { total } = await first!.db
    .selectFrom("widgets")
    .select(sql<string>`sum(price)`.as("total"))
    .executeTakeFirstOrThrow();
  expect(total).toBe("0.30");
  await first!.ping();
  expect(first!.kind).toBe("postgres");
  await Promise.all(replicas.map((r) => r.close()));
});

test(
  "embedded PGlite when no URL is given",
  async () => {
    const embedded = createDatabase<DB>({ dataDir: join(dir, "pglite") });
    expect(embedded.kind).toBe("pglite");
    await migrateToLatest(embedded.db as Kysely<unknown>, migrations);
    await embedded.db.insertInto("widgets").values({ id: 1, price: "19.99" }).execute();
    const row = await embedded.db.selectFrom("widgets").selectAll().executeTakeFirstOrThrow();
    expect(row.price).toBe("19.99");
    await embedded.ping();
    await embedded.close();
  },
  // Booting PGlite takes seconds, more on a loaded machine, also under `bun test ./packages`.
  BOOT_BOUND_MS,
);

test("a failing migration is reported by name", async () => {
  const db = createDatabase<DB>({ url: pg.url, dataDir: dir });
  const broken = {
    "0002_broken": { up: async (k: Kysely<unknown>) => void (await sql`select * from nope`.execute(k)) },
  };
  await expect(migrateToLatest(db.db as Kysely<unknown>, { ...migrations, ...broken })).rejects.toThrow(
    "0002_broken",
  );
  await db.close();
});
