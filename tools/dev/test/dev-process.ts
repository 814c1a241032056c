import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pumpLines } from "@ecom/stream-lines";
import { freePort } from "@ecom/test-harness";

export const repoRoot = join(import.meta.dir, "..", "..", "..");

/** Every pid below `pid`, from the kernel's process table. */
export function descendants(pid: number): number[] {
  const out = Bun.spawnSync(["ps", "-e", "-o", "pid=,ppid="]).stdout.toString();
  const children = new Map<number, number[]>();
  for (const line of out.trim().split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `bun run dev` as a new user would start it, on free ports and a throwaway data dir, piped (not a TTY). */
export function startDev(extraEnv: Record<string, string> = {}) {
  const ports = {
    USER_PORT: freePort(),
    PRODUCT_PORT: freePort(),
    ORDER_PORT: freePort(),
    GATEWAY_PORT: freePort(),
  };
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    DEV_DATA_DIR: mkdtempSync(join(tmpdir(), "ecom-dev-")),
    // Other work in this checkout must not restart the system under the test.
    DEV_WATCH: "false",
    ...extraEnv,
  };
  const proc = Bun.spawn(["bun", "run", "dev"], { cwd: repoRoot, env, stdout: "pipe", stderr: "pipe" });
  const lines: string[] = [];
  const collect = (line: string) => void lines.push(line);
  const output = Promise.all([pumpLines(proc.stdout, collect), pumpLines(proc.stderr, collect)]);
  return { proc, ports, env, lines, output, gatewayUrl: `http://127.0.0.1:${ports.GATEWAY_PORT}` };
}

/**
 * Whether `pid` or a process below it has an inotify watch on `dir`, read from the kernel's table
 * (Linux's /proc/<pid>/fdinfo): the event that says a save there can be noticed from now on.
 */
export function watchesDirectory(pid: number, dir: string): boolean {
  const inode = ` ino:${statSync(dir).ino.toString(16)} `;
  return [pid, ...descendants(pid)].some((p) => {
    try {
      return readdirSync(`/proc/${p}/fd`).some((fd) => {
        try {
          return readFileSync(`/proc/${p}/fdinfo/${fd}`, "utf8").includes(inode);
        } catch {
          return false; // closed meanwhile
        }
      });
    } catch {
      return false; // exited meanwhile
    }
  });
}

/** Only a bound for a hang, so that it fails with the output; a busy machine needs a fraction of it. */
export const hangBoundMs = 180_000;

/** Polls the output of `bun run dev` until `done` holds for it; fails at once if the process exits. */
export async function waitForOutput(
  dev: { proc: { exitCode: number | null }; lines: string[] },
  what: string,
  done: (lines: string[]) => boolean,
): Promise<void> {
  const deadline = Date.now() + hangBoundMs;
  while (!done(dev.lines)) {
    if (dev.proc.exitCode !== null) throw new Error(`bun run dev exited:\n${dev.lines.join("\n")}`);
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${hangBoundMs} ms:\n${dev.lines.join("\n")}`);
    await Bun.sleep(100);
  }
}

/** Whether the ready table, printed once every process answers, has been printed. */
export const startedUp = (lines: string[]) => lines.some((l) => l.includes("Admin login:"));
