import { afterAll, expect, test } from "bun:test";
import pg from "pg";
import { startPostgres } from "../src/index.ts";

const server = await startPostgres();
afterAll(() => server.stop());

const query = async (url: string, text: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
};

test("gives a working, empty database", async () => {
  expect(await query(server.url, "select 1 as one")).toEqual([{ one: 1 }]);
  expect(
    await query(server.url, "select count(*)::int as n from pg_tables where schemaname = 'public'"),
  ).toEqual([{ n: 0 }]);
});

test("pause stops the server and resume brings it back with its data", async () => {
  await query(server.url, "create table kept (x int)");
  await server.pause();
  await expect(query(server.url, "select 1")).rejects.toThrow();
  await server.resume();
  expect(await query(server.url, "select count(*)::int as n from kept")).toEqual([{ n: 0 }]);
});
