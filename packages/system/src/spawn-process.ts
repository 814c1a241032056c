import { existsSync, readFileSync } from "node:fs";
import { pumpLines } from "@ecom/stream-lines";
import type { Subprocess } from "bun";

/** Where a child's stdout and stderr go. */
export type ProcessOutput =
  /**
   * Piped and split into lines: each handed to `onLine` as it arrives and kept for `lines()`, all of
   * them unless `keep` says how many of the last ones (a long-lived process printing elsewhere keeps 0).
   */
  | { lines: { onLine?: (line: string) => void; keep?: number } }
  /** stdout to `file`, stderr to `file.err`: output then costs what it costs in production. */
  | { file: string };

export type SpawnOptions = {
  /** The script `bun` runs. */
  entry: string;
  /** The child's whole environment (nothing is inherited); `PORT` is set from `port`. */
  env: Record<string, string | undefined>;
  port: number;
  /** Answers 200 once the process can serve. */
  readyPath: string;
  output: ProcessOutput;
  /** Bun flags before the entry, e.g. `--cpu-prof`. */
  bunFlags?: string[];
  /**
   * Only a hang reaches it: then the child is killed and `ready` rejects. Without it, waiting ends
   * only when the process is ready or has exited, so a loaded machine makes a start slower, never failed.
   */
  hangBoundMs?: number;
  /** How often readiness is asked; also the resolution of the time to ready. */
  pollMs?: number;
  /** Names the process in errors; the entry by default. */
  name?: string;
};

export type SpawnedProcess = {
  baseUrl: string;
  proc: Subprocess;
  /**
   * Milliseconds from spawn to the first 200 on the readiness path. Rejects with a
   * {@link ProcessStartError} carrying the output as soon as the process exits before that.
   */
  ready: Promise<number>;
  /** The lines kept so far (line output only; a file's lines are in the file). */
  lines(): string[];
  /**
   * Sends `signal` (and SIGKILL after `killAfterMs`, when given) unless the process has already
   * exited, waits for the exit and the last output, and returns what `proc.exited` gives.
   */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
};

/** Why a process never became ready: it exited, or it was still not ready at the hang bound. */
export class ProcessStartError extends Error {
  constructor(
    readonly reason: "exited" | "hung",
    message: string,
  ) {
    super(message);
    this.name = "ProcessStartError";
  }
}

// One exit hook for every child: a test that times out, or a tool that exits, leaves no process behind.
const live = new Set<Subprocess>();
let exitHooked = false;
function killWithParent(proc: Subprocess): void {
  if (!exitHooked) {
    process.on("exit", () => {
      for (const child of live) child.kill("SIGKILL");
    });
    exitHooked = true;
  }
  live.add(proc);
  void proc.exited.then(() => live.delete(proc));
}

/** A probe that never answers must not stall the wait: it is abandoned and asked again. */
const probeTimeoutMs = 5_000;

async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(probeTimeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false; // not listening yet
  }
}

const hasExited = (proc: Subprocess) => proc.exitCode !== null || proc.signalCode !== null;

function tail(file: string, count = 40): string {
  if (!existsSync(file)) return `${file}: (nothing written)`;
  return `${file}:\n${readFileSync(file, "utf8").trimEnd().split("\n").slice(-count).join("\n")}`;
}

/**
 * Runs `bun [flags] <entry>` as its own process on `port` and reports when `readyPath` first answers
 * 200. The only spawn-and-wait of the repository: tests, `bun run dev` and the benchmark start every
 * process of the system through it.
 */
export function spawnProcess(options: SpawnOptions): SpawnedProcess {
  const name = options.name ?? options.entry;
  const cmd = [process.execPath, ...(options.bunFlags ?? []), options.entry];
  const env = { ...options.env, PORT: String(options.port) };
  const started = performance.now();
  const kept: string[] = [];
  let proc: Subprocess;
  let drained: Promise<unknown> = Promise.resolve();
  let output: () => string;
  if ("file" in options.output) {
    const file = options.output.file;
    proc = Bun.spawn(cmd, { env, stdin: "ignore", stdout: Bun.file(file), stderr: Bun.file(`${file}.err`) });
    output = () => `${tail(file)}\n${tail(`${file}.err`)}`;
  } else {
    const { onLine, keep = Number.POSITIVE_INFINITY } = options.output.lines;
    const piped = Bun.spawn(cmd, { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const take = (line: string) => {
      if (keep > 0) kept.push(line);
      if (kept.length > keep) kept.shift();
      onLine?.(line);
    };
    drained = Promise.all([pumpLines(piped.stdout, take), pumpLines(piped.stderr, take)]);
    proc = piped;
    output = () => kept.join("\n");
  }
  killWithParent(proc);
  const baseUrl = `http://127.0.0.1:${options.port}`;

  const ready = (async () => {
    const url = `${baseUrl}${options.readyPath}`;
    const exited = proc.exited.then(() => "exited" as const);
    const deadline = started + (options.hangBoundMs ?? Number.POSITIVE_INFINITY);
    for (;;) {
      if ((await Promise.race([answers200(url), exited])) === true) return performance.now() - started;
      if (hasExited(proc)) {
        await drained;
        throw new ProcessStartError(
          "exited",
          `${name} exited with ${proc.exitCode ?? proc.signalCode} before ${options.readyPath} answered 200:\n${output()}`,
        );
      }
      if (performance.now() > deadline) {
        proc.kill("SIGKILL");
        await proc.exited;
        await drained;
        throw new ProcessStartError(
          "hung",
          `${name}: ${options.readyPath} did not answer 200 within ${options.hangBoundMs} ms:\n${output()}`,
        );
      }
      await Promise.race([Bun.sleep(options.pollMs ?? 20), exited]);
    }
  })();

  return {
    baseUrl,
    proc,
    ready,
    lines: () => [...kept],
    stop: async (signal = "SIGTERM", killAfterMs) => {
      if (!hasExited(proc)) proc.kill(signal);
      const forced =
        killAfterMs === undefined ? undefined : setTimeout(() => proc.kill("SIGKILL"), killAfterMs);
      const code = await proc.exited;
      clearTimeout(forced);
      await drained;
      return code;
    },
  };
}
