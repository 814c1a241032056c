import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A real nginx in the foreground, with its files in one temp dir removed on stop. */
export type NginxRun = {
  dir: string;
  /** Everything nginx wrote to stdout and stderr so far (a container config logs there). */
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
};

export function nginxBinary(): string {
  const found = Bun.which("nginx") ?? ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].find(existsSync);
  if (!found)
    throw new Error("`nginx` not found; install it (apt-get install nginx, or source .ci/install/e2e.sh)");
  return found;
}

/** Reads a file that may not exist yet. */
const readText = (file: string) => () => (existsSync(file) ? readFileSync(file, "utf8") : "");

/** Resolves once every port accepts connections; fails as soon as nginx exits instead. No deadline. */
async function waitForPorts(ports: number[], proc: Bun.Subprocess, output: () => string) {
  for (const port of ports) {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}:\n${output()}`);
      try {
        const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
        socket.end();
        break;
      } catch {
        await Bun.sleep(20);
      }
    }
  }
}

/**
 * Starts nginx on `config(dir)` (written to `<dir>/nginx.conf`) with `args(confFile)` after the
 * binary, and resolves once every port in `ports` listens. A test run that ends without `stop()`
 * does not leave it running.
 */
export async function runNginx(options: {
  config: (dir: string) => string;
  args: (confFile: string, dir: string) => string[];
  ports: number[];
}): Promise<NginxRun> {
  const binary = nginxBinary();
  const dir = mkdtempSync(join(tmpdir(), "ecom-nginx-"));
  const confFile = join(dir, "nginx.conf");
  writeFileSync(confFile, options.config(dir));
  // Files, not pipes: a config may log to /dev/stdout or /dev/stderr (as in a container), which
  // cannot be opened when they are the sockets Bun's "pipe" gives.
  const stdoutFile = join(dir, "stdout.log");
  const stderrFile = join(dir, "stderr.log");
  const proc = Bun.spawn([binary, ...options.args(confFile, dir)], {
    stdout: Bun.file(stdoutFile),
    stderr: Bun.file(stderrFile),
  });
  const stdout = readText(stdoutFile);
  const stderr = readText(stderrFile);
  const onExit = () => proc.kill("SIGKILL");
  process.once("exit", onExit);
  try {
    await waitForPorts(options.ports, proc, () => stderr() + stdout());
  } catch (error) {
    proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    stdout,
    stderr,
    stop: async () => {
      process.off("exit", onExit);
      // SIGTERM is nginx's fast shutdown: the master stops its workers, then exits.
      proc.kill("SIGTERM");
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
