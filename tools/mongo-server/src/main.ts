import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startMongoServer } from "./start.ts";

// For humans: `bun tools/mongo-server/src/main.ts [--data DIR | --memory] [--port N]`, Ctrl-C stops it.
const { values } = parseArgs({
  options: {
    data: { type: "string" },
    memory: { type: "boolean", default: false },
    port: { type: "string", default: "27017" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, got ${values.port}`);
  process.exit(2);
}
const dataDir = values.memory
  ? undefined
  : resolve(values.data ?? resolve(import.meta.dir, "../../../.data/mongo"));

const server = await startMongoServer({ port, memory: values.memory, dataDir });
console.log(
  `mongo-server ${dataDir ? `with data in ${dataDir}` : "in memory"}: MONGO_URL=${server.url}<database>`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await server.stop();
    process.exit(0);
  });
}
