import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createFixtures } from "./src/fixtures.ts";
import { checkStockInvariant, type InvariantReport } from "./src/invariant.ts";
import { readOptions } from "./src/options.ts";
import { ceilingRatio, checkTargets, renderReport } from "./src/report/render-report.ts";
import { runCeilings } from "./src/run-ceilings.ts";
import { runScenario, type ScenarioResult } from "./src/run-scenario.ts";
import { buildScenarios } from "./src/scenarios.ts";
import { SERVICE_NAMES, startSystem } from "./src/system/start-system.ts";

/**
 * `bun run bench`: starts the whole system with real databases, measures start-up, the ceilings and
 * every scenario, checks the stock invariant, prints a table and writes the figures as JSON.
 */
const options = readOptions();
const stamp = new Date().toISOString().replaceAll(":", "-").replace(/\..+/, "");
const resultsDir = join(import.meta.dir, "results");
const runDir = join(resultsDir, stamp);
mkdirSync(runDir, { recursive: true });
const log = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  loadAverageAtStart: loadavg(),
  bun: Bun.version,
  node: Bun.which("node") ? Bun.spawnSync(["node", "--version"]).stdout.toString().trim() : undefined,
};

log(`starting the system (LOG_LEVEL=${options.logLevel}${options.profile ? ", --cpu-prof" : ""})`);
const system = await startSystem({
  logLevel: options.logLevel,
  logDir: join(runDir, "logs"),
  ...(options.profile ? { profileDir: join(runDir, "profiles") } : {}),
});
const urls = {
  users: system.services["user-service"].baseUrl,
  products: system.services["product-service"].baseUrl,
  orders: system.services["order-service"].baseUrl,
  gateway: system.services.gateway.baseUrl,
};
try {
  log("creating fixtures (catalog, stocked products, customers)");
  const fixtures = await createFixtures(urls, {
    catalog: options.catalogSize,
    stocked: 20,
    contendedStock: options.contendedStock,
    customers: options.customers,
  });

  log("measuring ceilings: bare HTTP, mongoose findById and list, PostgreSQL order insert");
  const ceilings = await runCeilings(urls.products, fixtures, system, options);

  const scenarios = buildScenarios(urls, fixtures, system.serviceToken, options).filter(
    (s) => options.only.length === 0 || options.only.some((prefix) => s.name.startsWith(prefix)),
  );
  const results: ScenarioResult[] = [];
  const invariants: { after: string; report: InvariantReport }[] = [];
  let ordersCreated = 0;
  let abandonable = 0;
  for (const scenario of scenarios) {
    log(`running ${scenario.name} (${options.warmupSec} s warm-up, ${options.durationSec} s measured)`);
    const result = await runScenario(scenario, system.processGroups, SERVICE_NAMES, options.warmupSec);
    results.push(result);
    if (scenario.placesOrders) {
      ordersCreated += result.created;
      abandonable += scenario.load.connections * result.runs;
      invariants.push({
        after: scenario.name,
        report: await checkStockInvariant({
          productsUrl: urls.products,
          ordersUrl: urls.orders,
          adminToken: fixtures.adminToken,
          initialStock: fixtures.initialStock,
          adminDeltas: fixtures.adminDeltas,
          ordersCreated,
          maxAbandoned: abandonable,
        }),
      });
    }
  }

  const ratios = new Map(
    scenarios.flatMap((s, i) => {
      const ratio = ceilingRatio(results[i] as ScenarioResult, s, ceilings);
      return ratio ? [[s.name, ratio] as const] : [];
    }),
  );
  const targets = checkTargets({
    startup: system.startup,
    results,
    ceilings,
    invariants: invariants.map((i) => i.report),
  });
  const report = renderReport({ startup: system.startup, ceilings, results, ratios, invariants, targets });
  const file = join(resultsDir, `${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: stamp,
        command: ["bun", "run", "bench", ...process.argv.slice(2)].join(" "),
        options,
        machine: { ...machine, loadAverageAtEnd: loadavg() },
        startup: system.startup,
        ceilings,
        scenarios: results.map((r) => ({ ...r, vsCeiling: ratios.get(r.name) })),
        invariants,
        targets,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`${report}\n\nFigures: ${file}\nService logs: ${join(runDir, "logs")}\n`);
} finally {
  log("stopping the system");
  await system.stop();
}
if (options.profile) log(`CPU profiles: ${join(runDir, "profiles")}`);
