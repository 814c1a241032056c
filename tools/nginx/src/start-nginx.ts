import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@ecom/test-harness";
import { type Instances, type NginxSettings, renderNginxConfig } from "./render-config.ts";
import { runNginx } from "./run-nginx.ts";
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

/**
 * Real nginx in the foreground as a child process: config rendered from the template, a fresh
 * self-signed certificate, and pid, logs and temp files all inside one temp dir removed on stop.
 */
export async function startNginx(options: NginxOptions): Promise<NginxProcess> {
  const port = options.port ?? freePort();
  const run = await runNginx({
    ports: [port],
    config: (dir) => {
      const { certFile, keyFile } = makeSelfSignedCert(dir);
      return renderNginxConfig({
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
      });
    },
    args: (confFile, dir) => ["-p", dir, "-c", confFile, "-e", join(dir, "error.log"), "-g", "daemon off;"],
  });
  const errorFile = join(run.dir, "error.log");
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    dir: run.dir,
    accessLog: () => {
      const file = join(run.dir, "access.log");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    errorLog: () => (existsSync(errorFile) ? readFileSync(errorFile, "utf8") : "") + run.stderr(),
    stop: run.stop,
  };
}
