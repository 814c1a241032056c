import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./free-port.ts";

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

async function waitUntilReady(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start: ${(error as Error).message}`);
      await Bun.sleep(100);
    }
  }
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
  let proc: ReturnType<typeof Bun.spawn> | undefined;
  const start = async () => {
    proc = Bun.spawn(
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
      { stdout: "ignore", stderr: "ignore" },
    );
    await waitUntilReady(adminUrl);
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
