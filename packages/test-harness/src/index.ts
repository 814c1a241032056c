export { freePort } from "./free-port.ts";
export { type MongoServer, startMongo } from "./mongo.ts";
export { type PostgresServer, startPostgres } from "./postgres.ts";
export { type RawResponse, rawRequest } from "./raw-request.ts";
export { type ServiceProcess, startServiceProcess } from "./service-process.ts";
export { createTestIssuer, type TestIssuer } from "./test-issuer.ts";
export { BOOT_BOUND_MS, waitFor, waitUntil } from "./wait-until.ts";
