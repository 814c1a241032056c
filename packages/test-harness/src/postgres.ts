import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pumpLines } from "@ecom/stream-lines";
import type { Subprocess } from "bun";
import pg from "pg";
import { freePort } from "./free-port.ts";
import { BOOT_BOUND_MS, waitUntil } from "./wait-until.ts";

export type PostgresServer = {
  /** Connection string of a fresh, empty database. */
  url: string;
  /** Creates another empty database on the same server. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server but keeps its data (to test what a service does while its database is down). */
  pause(): Promise<void>;
  /** Starts it again on the same port. */
  resume(): Promise<void>;
  /** Stops the server and removes its files; a no-op with TEST_DATABASE_URL. */
  stop(): Promise<void>;
};

function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, "bin", "initdb"))) return join(root, v, "bin");
  throw new Error("PostgreSQL binaries not found under /usr/lib/postgresql; install the postgresql package");
}

const isRoot = () => process.getuid?.() === 0;
/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user. setpriv execs in
 * place (no wrapper process), so signals reach postgres itself.
 */
const asPostgres = (cmd: string[]) =>
  isRoot() ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", ...cmd] : cmd;

/**
 * Waits until the server takes a connection, however long a loaded machine needs, and fails with the
 * server's output as soon as it exits instead; the deadline only ends a hang.
 */
async function waitUntilReady(url: string, server: Subprocess<"ignore", "ignore", "pipe">): Promise<void> {
  // Its log goes to stderr: kept to explain a failed start, and drained so it never blocks.
  const output: string[] = [];
  const drained = pumpLines(server.stderr, (line) => output.push(line));
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + BOOT_BOUND_MS;
  let ready = false;
  let lastError = "";
  await waitUntil(async () => {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      ready = true;
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
    return ready || exited || Date.now() > deadline;
  }, 100);
  if (ready) return;
  if (!exited) server.kill("SIGKILL");
  await drained;
  const why = exited ? "exited while starting" : `did not start within ${BOOT_BOUND_MS} ms`;
  throw new Error(`PostgreSQL ${why} (${lastError}):\n${output.join("\n")}`);
}

async function createDatabaseAt(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const uniqueName = () => `test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;

/**
 * A throwaway PostgreSQL server from the installed binaries: initdb into a temp dir, a free port,
 * sockets in the same dir; `TEST_DATABASE_URL` points tests at an existing server instead.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const url = await createDatabaseAt(external, uniqueName());
    const unsupported = async () => {
      throw new Error("pause/resume need the harness's own server; unset TEST_DATABASE_URL");
    };
    return {
      url,
      createDatabase: (name) => createDatabaseAt(external, name ?? uniqueName()),
      pause: unsupported,
      resume: unsupported,
      stop: async () => {},
    };
  }

  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), "ecom-pg-"));
  if (isRoot()) {
    const { uid, gid } = pgUser();
    chownSync(dir, uid, gid);
  }
  const dataDir = join(dir, "data");
  const init = Bun.spawnSync(
    asPostgres([
      join(bin, "initdb"),
      "-D",
      dataDir,
      "-A",
      "trust",
      "-U",
      "postgres",
      "--no-sync",
      "-E",
      "UTF8",
    ]),
    {
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  if (init.exitCode !== 0) throw new Error(`initdb failed: ${init.stderr.toString()}`);

  const port = freePort();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let proc: Subprocess | undefined;
  const start = async () => {
    const server = Bun.spawn(
      asPostgres([
        join(bin, "postgres"),
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
      ]),
      { stdout: "ignore", stderr: "pipe" },
    );
    proc = server;
    await waitUntilReady(adminUrl, server);
  };
  const halt = async () => {
    if (!proc) return;
    proc.kill("SIGINT"); // fast shutdown: aborts open transactions, then exits
    await proc.exited;
    proc = undefined;
  };
  await start();
  // A test run that ends without calling stop() must not leave a server behind.
  process.once("exit", () => proc?.kill("SIGKILL"));
  return {
    url: await createDatabaseAt(adminUrl, uniqueName()),
    createDatabase: (name) => createDatabaseAt(adminUrl, name ?? uniqueName()),
    pause: halt,
    resume: start,
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgUser(): { uid: number; gid: number } {
  const out = Bun.spawnSync(["id", "-u", "postgres"]).stdout.toString().trim();
  const gid = Bun.spawnSync(["id", "-g", "postgres"]).stdout.toString().trim();
  if (!out) throw new Error("no `postgres` user on this machine; install the postgresql package");
  return { uid: Number(out), gid: Number(gid) };
}
