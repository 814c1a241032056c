export { ensureMongoServerJar, mongoServerJarPath } from "./jar.ts";
export { type MongoServerOptions, type MongoServerProcess, startMongoServer } from "./start.ts";
