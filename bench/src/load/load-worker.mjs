// The load generator process: autocannon driven by a spec file (see load-spec.ts). Plain JavaScript so
// Node can run it (autocannon sends noticeably more requests per CPU second under Node than under Bun).
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import autocannon from "autocannon";

/** @type {import("./load-spec.ts").LoadSpec} */
const spec = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));
const variants = spec.requests.map((v) => ({ ...v, dynamic: v.body?.includes("{{uuid}}") ?? false }));
let next = 0;

const latencies = [];
const statusCodes = {};
const cpuAtStart = process.cpuUsage();
const instance = autocannon({
  url: spec.baseUrl,
  connections: spec.connections,
  duration: spec.durationSec,
  timeout: 10,
  requests: [
    {
      // Keeps autocannon's defaults (host, port) and sets this request's own parts.
      setupRequest: (defaults) => {
        const v = variants[next++ % variants.length];
        return {
          ...defaults,
          method: v.method,
          path: v.path,
          headers: v.headers ?? {},
          body: v.dynamic ? v.body.replaceAll("{{uuid}}", randomUUID()) : v.body,
        };
      },
    },
  ],
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
    generatorCpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
