import { join } from "node:path";
import { pumpLines } from "@ecom/stream-lines";

export type MongoServer = {
  /** Connection string naming a fresh, empty database. */
  url: string;
  /** Connection string for another database on the same server (created on first write). */
  createDatabaseUrl(name?: string): string;
  /** Stops the server; a no-op with TEST_MONGO_URL. */
  stop(): Promise<void>;
};

const uniqueName = () => `test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;

/**
 * Puts `name` in the database position of a MongoDB connection string, keeping hosts and options.
 * Done on the text because the URL parser rejects seed lists like `host1:1,host2:2`.
 */
function withDatabase(url: string, name: string): string {
  const [base = "", query] = url.split("?", 2);
  const hostsEnd = base.indexOf("/", base.indexOf("://") + 3);
  const hosts = hostsEnd === -1 ? base : base.slice(0, hostsEnd);
  return `${hosts}/${name}${query === undefined ? "" : `?${query}`}`;
}

/** The embedded server's command line; run as a program, the way PostgreSQL's binaries are. */
const mongoServerMain = join(import.meta.dir, "..", "..", "..", "tools", "mongo-server", "src", "main.ts");
/** What the command prints once it accepts connections. */
const readyLine = /MONGO_URL=(mongodb:\/\/\S+\/)<database>/;

/**
 * Runs the embedded MongoDB-wire-compatible server's command (tools/mongo-server) in memory on a
 * free port and resolves with its URL once it accepts connections.
 */
async function runMongoServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const proc = Bun.spawn(["bun", mongoServerMain, "--memory", "--port", "0"], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const output: string[] = [];
  const { promise: ready, resolve } = Promise.withResolvers<string | undefined>();
  const take = (line: string) => {
    output.push(line);
    const match = readyLine.exec(line);
    if (match) resolve(match[1]);
  };
  void pumpLines(proc.stdout, take);
  void pumpLines(proc.stderr, take);
  void proc.exited.then(() => resolve(undefined));
  const url = await ready;
  if (url === undefined) throw new Error(`mongo server exited with ${proc.exitCode}:\n${output.join("\n")}`);
  return {
    url,
    stop: async () => {
      // SIGTERM: the command stops the server and waits for it before exiting.
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/**
 * An in-memory MongoDB-wire-compatible server (tools/mongo-server) on a free port;
 * `TEST_MONGO_URL` points tests at an existing server instead, where each run gets its own database.
 */
export async function startMongo(): Promise<MongoServer> {
  const external = process.env.TEST_MONGO_URL;
  if (external) {
    return {
      url: withDatabase(external, uniqueName()),
      createDatabaseUrl: (name) => withDatabase(external, name ?? uniqueName()),
      stop: async () => {},
    };
  }
  const server = await runMongoServer();
  return {
    url: withDatabase(server.url, uniqueName()),
    createDatabaseUrl: (name) => withDatabase(server.url, name ?? uniqueName()),
    stop: () => server.stop(),
  };
}
