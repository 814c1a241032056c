import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Instances, type NginxSettings, renderNginxConfig } from "./render-config.ts";
import { makeSelfSignedCert } from "./self-signed-cert.ts";

/** Defaults follow the cluster's ingress (manifests/base/ingress): 2m bodies, 30 s read timeout. */
export type NginxOptions = {
  instances: Instances;
  /** Free port when omitted. */
  port?: number;
  loginRate?: string;
  loginBurst?: number;
  clientMaxBodySize?: string;
  connectTimeout?: string;
  sendTimeout?: string;
  readTimeout?: string;
  maxFails?: number;
  failTimeout?: string;
  internalPorts?: NginxSettings["internalPorts"];
  startTimeoutMs?: number;
};

export type NginxProcess = {
  /** `https://127.0.0.1:<port>` (self-signed: clients must not verify it). */
  url: string;
  port: number;
  /** The prefix directory holding the rendered config, certificate and logs. */
  dir: string;
  /** Parsed JSON access-log lines written so far. */
  accessLog(): Record<string, unknown>[];
  errorLog(): string;
  stop(): Promise<void>;
};

function nginxBinary(): string {
  const found = Bun.which("nginx") ?? ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].find(existsSync);
  if (!found)
    throw new Error("`nginx` not found; install it (apt-get install nginx, or source .ci/install/e2e.sh)");
  return found;
}

function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
}

async function waitForPort(port: number, proc: Bun.Subprocess, stderr: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}:\n${stderr()}`);
    try {
      const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      socket.end();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}:\n${stderr()}`);
      await Bun.sleep(50);
    }
  }
}

/**
 * Real nginx in the foreground as a child process: config rendered from the template, a fresh
 * self-signed certificate, and pid, logs and temp files all inside one temp dir removed on stop.
 */
export async function startNginx(options: NginxOptions): Promise<NginxProcess> {
  const binary = nginxBinary();
  const dir = mkdtempSync(join(tmpdir(), "ecom-nginx-"));
  const { certFile, keyFile } = makeSelfSignedCert(dir);
  const port = options.port ?? freePort();
  const confFile = join(dir, "nginx.conf");
  writeFileSync(
    confFile,
    renderNginxConfig({
      prefix: dir,
      listenHost: "127.0.0.1",
      port,
      certFile,
      keyFile,
      instances: options.instances,
      loginRate: options.loginRate ?? "30r/m",
      loginBurst: options.loginBurst ?? 10,
      clientMaxBodySize: options.clientMaxBodySize ?? "2m",
      connectTimeout: options.connectTimeout ?? "5s",
      sendTimeout: options.sendTimeout ?? "30s",
      readTimeout: options.readTimeout ?? "30s",
      maxFails: options.maxFails ?? 1,
      failTimeout: options.failTimeout ?? "10s",
      runAsRoot: process.getuid?.() === 0,
      internalPorts: options.internalPorts,
    }),
  );
  const errorFile = join(dir, "error.log");
  const proc = Bun.spawn([binary, "-p", dir, "-c", confFile, "-e", errorFile, "-g", "daemon off;"], {
    stdout: "ignore",
    stderr: "pipe",
  });
  let stderrText = "";
  void new Response(proc.stderr).text().then((t) => {
    stderrText = t;
  });
  const errorLog = () => (existsSync(errorFile) ? readFileSync(errorFile, "utf8") : "");
  // A run that ends without stop() must not leave nginx listening.
  const onExit = () => proc.kill("SIGKILL");
  process.once("exit", onExit);
  try {
    await waitForPort(port, proc, () => stderrText + errorLog(), options.startTimeoutMs ?? 10_000);
  } catch (error) {
    proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    dir,
    accessLog: () => {
      const file = join(dir, "access.log");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    errorLog,
    stop: async () => {
      process.off("exit", onExit);
      // SIGTERM is nginx's fast shutdown: the master stops its workers before exiting.
      proc.kill("SIGTERM");
      const exited = await Promise.race([proc.exited, Bun.sleep(5000).then(() => "timeout" as const)]);
      if (exited === "timeout") {
        proc.kill("SIGKILL");
        await proc.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
