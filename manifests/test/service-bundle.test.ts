import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { connectionEnv, jwksPath, type ServiceKey, service, services } from "@ecom/system";
import {
  freePort,
  type MongoServer,
  type PostgresServer,
  type ServiceProcess,
  startMongo,
  startPostgres,
  startServiceProcess,
} from "@ecom/test-harness";
import { bundleCommand, readServiceDockerfile } from "./dockerfile.ts";
import { find, render, repoRoot } from "./kustomize.ts";
import { runTool } from "./run-tool.ts";

/**
 * Replays each image build without a container engine: a copy of the build context (the repository's
 * files, as git lists them), first only the workspace manifests and the lockfile with the Dockerfile's
 * production-only frozen install, then the sources and the Dockerfile's exact `bun build` command (output
 * redirected to a temp folder). The bundles then run the way the image runs them (`bun index.js`), with
 * the configuration the prod overlay gives the pods and real databases behind them.
 */
const workDir = mkdtempSync(join(tmpdir(), "ecom-image-build-"));
const context = join(workDir, "context");
const bundleOf = (service: string) => join(workDir, "out", service, "index.js");
const isManifest = (file: string) => /(^|\/)(package\.json|bun\.lock|bunfig\.toml)$/.test(file);

async function run(cmd: string[], cwd: string): Promise<void> {
  const result = await runTool(cmd, { cwd });
  if (result.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed:\n${result.stdout}${result.stderr}`);
}

beforeAll(async () => {
  const listed = await runTool(["git", "ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
  });
  const files = listed.stdout.split("\n").filter((f) => f !== "" && existsSync(join(repoRoot, f)));
  const copy = (file: string) => {
    mkdirSync(dirname(join(context, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(context, file));
  };
  files.filter(isManifest).forEach(copy);
  const install = readServiceDockerfile("user-service")
    .find((s) => s.name === "build")!
    .instructions.find((i) => i.keyword === "RUN" && i.args.startsWith("bun install"))!;
  await run(install.args.split(/\s+/), context);
  files.filter((f) => !isManifest(f)).forEach(copy);
  for (const svc of services) {
    const cmd = bundleCommand(readServiceDockerfile(svc.name)).map((arg) =>
      arg === "/out" ? join(workDir, "out", svc.name) : arg,
    );
    await run(cmd, context);
  }
});

describe("the image build, replayed", () => {
  for (const svc of services) {
    test(`${svc.name}: builds one file and refuses to start in production without its secrets`, async () => {
      expect(existsSync(bundleOf(svc.name))).toBe(true);
      const proc = Bun.spawn(["bun", bundleOf(svc.name)], {
        cwd: workDir,
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [out, err, code] = await Promise.all([
        new Response(proc.stdout).text(),
        new Response(proc.stderr).text(),
        proc.exited,
      ]);
      expect(code).not.toBe(0);
      expect(`${out}${err}`).toContain(svc.name === "product-service" ? "MONGO_URL" : "DATABASE_URL");
    });
  }
});

describe("the bundles serve with the prod overlay's configuration", () => {
  let postgres: PostgresServer;
  let mongo: MongoServer;
  const running = new Map<string, ServiceProcess>();
  const ports = Object.fromEntries(services.map((s) => [s.key, freePort()])) as Record<ServiceKey, number>;
  const urls = Object.fromEntries(services.map((s) => [s.key, `http://127.0.0.1:${ports[s.key]}`])) as Record<
    ServiceKey,
    string
  >;
  const token = randomBytes(24).toString("hex");
  const jwtKey = generateKeyPairSync("ed25519")
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();

  beforeAll(async () => {
    [postgres, mongo] = await Promise.all([startPostgres(), startMongo()]);
    const prod = await render("overlays/prod");
    const configOf = (name: string) => {
      const container = find(prod, "Deployment", name).spec.template.spec.containers[0];
      return find(prod, "ConfigMap", container.envFrom[0].configMapRef.name).data as Record<string, string>;
    };
    // What the secrets and the databases give each pod here.
    const own: Record<ServiceKey, Record<string, string>> = {
      users: {
        DATABASE_URL: await postgres.createDatabase(),
        JWT_PRIVATE_KEY: jwtKey,
        JWT_KEY_ID: "bundle-test",
      },
      products: { MONGO_URL: mongo.url },
      orders: { DATABASE_URL: await postgres.createDatabase() },
    };
    for (const svc of services) {
      // The manifests' values, with in-cluster addresses swapped for this machine's.
      const env: Record<string, string> = {
        ...configOf(svc.name),
        ...own[svc.key],
        ...connectionEnv(svc.key, urls),
        INTERNAL_SERVICE_TOKEN: token,
        HOST: "127.0.0.1",
      };
      expect(env.NODE_ENV).toBe("production");
      running.set(
        svc.name,
        await startServiceProcess({
          entry: bundleOf(svc.name),
          port: ports[svc.key],
          env,
          readyPath: svc.readyPath,
        }),
      );
    }
  });

  afterAll(async () => {
    for (const proc of running.values()) if (proc.proc.exitCode === null) await proc.kill("SIGKILL");
    await Promise.all([postgres?.stop(), mongo?.stop()]);
  });

  for (const svc of services) {
    test(`${svc.name}: ready, exports metrics, and stops cleanly on SIGTERM within its drain time`, async () => {
      const proc = running.get(svc.name)!;
      expect((await fetch(`${proc.baseUrl}${svc.readyPath}`)).status).toBe(200);
      // The readiness answers were timed too, so the histogram has observations.
      const metrics = await (await fetch(`${proc.baseUrl}/metrics`)).text();
      expect(metrics).toContain("http_request_duration_seconds_bucket");
      expect(metrics).toContain("http_requests_in_flight");

      const started = Date.now();
      expect(await proc.kill("SIGTERM")).toBe(0);
      // The pod grants preStop (5 s) + SHUTDOWN_TIMEOUT_MS (10 s) + margin; an idle service needs far less.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(proc.lines().join("\n")).toContain('"message":"stopped"');
    });
  }

  test("the user service publishes the signing key the others verify with", async () => {
    // Started again briefly: the previous test stopped it.
    const users = service("users");
    const user = await startServiceProcess({
      entry: bundleOf(users.name),
      port: freePort(),
      env: {
        NODE_ENV: "production",
        DATABASE_URL: await postgres.createDatabase(),
        JWT_PRIVATE_KEY: jwtKey,
        JWT_KEY_ID: "bundle-test",
        INTERNAL_SERVICE_TOKEN: token,
        HOST: "127.0.0.1",
      },
      readyPath: users.readyPath,
    });
    try {
      const jwks = (await (await fetch(`${user.baseUrl}${jwksPath}`)).json()) as {
        keys: { kid: string; crv: string }[];
      };
      expect(jwks.keys).toContainEqual(expect.objectContaining({ kid: "bundle-test", crv: "Ed25519" }));
    } finally {
      await user.kill("SIGTERM");
    }
  });
});
