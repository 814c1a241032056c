/**
 * A recording stand-in for kubectl, docker, skaffold, trivy, semgrep, git, bun… Each call appends
 * `{"tool","argv"}` to $FAKE_LOG, then answers from the first matching rule in $FAKE_CONFIG.
 * `FAKE_<TOOL>_FAIL_ON="rollout status"` makes any call containing that text exit 1.
 * Special cases: `kubectl kustomize` runs the real kubectl ($FAKE_REAL_KUBECTL) so rendering is real;
 * `kubectl port-forward` serves imitation service endpoints on a free port until stopped;
 * `kubectl apply -f F` keeps a copy of F as $FAKE_STATE_DIR/applied-<n>.yaml.
 */
import { appendFileSync, copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakeRule {
  tool: string;
  /** Substring of the space-joined argv. */
  match: string;
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** Apply only this many times (then later rules, or the default, answer). */
  times?: number;
  /** Write stdout to the file given after this flag instead of printing it (e.g. "--output"). */
  writeToFlag?: string;
}

export interface FakeConfig {
  rules: FakeRule[];
  /** HTTP status of every imitation endpoint behind a port-forward. */
  portForwardStatus?: number;
}

const [tool = "unknown", ...argv] = process.argv.slice(2);
const joined = argv.join(" ");
const env = process.env;
appendFileSync(env.FAKE_LOG ?? "/dev/null", `${JSON.stringify({ tool, argv })}\n`);

const failOn = env[`FAKE_${tool.toUpperCase().replace(/\W/g, "_")}_FAIL_ON`];
if (failOn && joined.includes(failOn)) {
  process.stderr.write(`fake ${tool}: failing on purpose at "${failOn}"\n`);
  process.exit(1);
}

const config: FakeConfig = env.FAKE_CONFIG
  ? JSON.parse(readFileSync(env.FAKE_CONFIG, "utf8"))
  : { rules: [] };
const stateDir = env.FAKE_STATE_DIR ?? "/tmp";

if (tool === "kubectl" && argv[0] === "kustomize") {
  const real = Bun.spawnSync([env.FAKE_REAL_KUBECTL ?? "kubectl", ...argv], {
    stdout: "inherit",
    stderr: "inherit",
  });
  process.exit(real.exitCode);
}

if (tool === "kubectl" && argv.includes("apply")) {
  const file = argv[argv.indexOf("-f") + 1];
  const n = readdirSync(stateDir).filter((f) => f.startsWith("applied-")).length + 1;
  if (file && existsSync(file)) copyFileSync(file, join(stateDir, `applied-${n}.yaml`));
}

const rule = config.rules.find((r, index) => {
  if (r.tool !== tool || !joined.includes(r.match)) return false;
  if (r.times === undefined) return true;
  const counter = join(stateDir, `rule-${index}.count`);
  const used = existsSync(counter) ? Number(readFileSync(counter, "utf8")) : 0;
  if (used >= r.times) return false;
  writeFileSync(counter, String(used + 1));
  return true;
});

if (tool === "kubectl" && argv.includes("port-forward") && !rule) {
  const remote = (argv.at(-1) ?? ":0").split(":").pop();
  const status = config.portForwardStatus ?? 200;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/api/products")
        return Response.json({ items: [], page: 1, limit: 1, total: 0 }, { status });
      if (path === "/api/users/login") return Response.json({ accessToken: "token" }, { status });
      return new Response(status === 200 ? "ok" : "unavailable", { status });
    },
  });
  process.stdout.write(`Forwarding from 127.0.0.1:${server.port} -> ${remote}\n`);
  process.on("SIGTERM", () => process.exit(0));
} else {
  if (rule?.writeToFlag) {
    const target = argv[argv.indexOf(rule.writeToFlag) + 1];
    if (target) writeFileSync(target, rule.stdout ?? "");
  } else if (rule?.stdout) {
    process.stdout.write(rule.stdout);
  }
  if (rule?.stderr) process.stderr.write(rule.stderr);
  process.exit(rule?.exitCode ?? 0);
}
