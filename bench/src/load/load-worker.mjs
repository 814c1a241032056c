// The load generator process: autocannon driven by a spec file (see load-spec.ts). Plain JavaScript so
// Node can run it (autocannon sends noticeably more requests per CPU second under Node than under Bun).
import { readFileSync, writeFileSync } from "node:fs";
import autocannon from "autocannon";
import { createRequestSource } from "./request-source.mjs";

/** @type {import("./load-spec.ts").LoadSpec} */
const spec = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));
const source = createRequestSource(spec.requests);

const latencies = [];
const statusCodes = {};
const cpuAtStart = process.cpuUsage();
const instance = autocannon({
  url: spec.baseUrl,
  connections: spec.connections,
  duration: spec.durationSec,
  timeout: 10,
  // Every connection gets its own entry, so a revalidating one keeps its own ETags.
  setupClient: (client) => client.setRequests([source.entry(spec.revalidate ? new Map() : undefined)]),
});
instance.on("response", (_client, status, _bytes, ms) => {
  latencies.push(ms);
  statusCodes[status] = (statusCodes[status] ?? 0) + 1;
});
const result = await instance;
const cpu = process.cpuUsage(cpuAtStart);
writeFileSync(spec.latencyFile, new Float64Array(latencies));
process.stdout.write(
  `${JSON.stringify({
    durationSec: result.duration,
    responses: latencies.length,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    conditional: source.conditional(),
    generatorCpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
