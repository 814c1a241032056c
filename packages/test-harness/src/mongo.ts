import { startMongoServer } from "@ecom/mongo-server";

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
  const server = await startMongoServer({ memory: true });
  return {
    url: withDatabase(server.url, uniqueName()),
    createDatabaseUrl: (name) => withDatabase(server.url, name ?? uniqueName()),
    stop: () => server.stop(),
  };
}
