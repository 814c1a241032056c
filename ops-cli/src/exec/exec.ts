import { CheckFailed, MissingTool } from "../failures.ts";
import type { Output } from "../report/output.ts";
import { shellQuote } from "./quote.ts";

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  /** Capture stdout/stderr instead of streaming them to the user. */
  capture?: boolean;
  /** Exit codes that are answers rather than failures (e.g. `kubectl diff` exits 1 when there are changes). */
  okExitCodes?: number[];
  /** What a dry run pretends the command printed, so the plan can go on (e.g. a placeholder tag). */
  dryRunOutput?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  json?: unknown;
  timeoutMs?: number;
  /** Accept a self-signed certificate (a local HTTPS gateway). */
  insecure?: boolean;
}

export interface HttpResult {
  status: number;
  body: string;
}

export interface BackgroundProcess {
  /** The first output line matching the readiness pattern. */
  ready: RegExpMatchArray;
  stop(): Promise<void>;
}

export interface BackgroundOptions {
  readyPattern: RegExp;
  readyTimeoutMs?: number;
  dryRunOutput: string;
}

/**
 * The one door to the outside world: every process, HTTP call and persistent file write goes through it,
 * so `--dry-run` can print the whole plan and run none of it.
 */
export interface Exec {
  readonly dryRun: boolean;
  run(argv: string[], opts?: RunOptions): Promise<RunResult>;
  /** Runs with the terminal attached (long-running dev loops); resolves with the exit code. */
  interactive(argv: string[], opts?: { cwd?: string }): Promise<number>;
  background(argv: string[], opts: BackgroundOptions): Promise<BackgroundProcess>;
  /** Undefined in a dry run: the request was only planned. */
  http(req: HttpRequest): Promise<HttpResult | undefined>;
  writeFile(path: string, content: string): Promise<void>;
}

export interface ExecOptions {
  dryRun: boolean;
  output: Output;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function createExec(options: ExecOptions): Exec {
  return options.dryRun ? dryRunExec(options) : realExec(options);
}

function toolPath(tool: string, env: Record<string, string | undefined>): string | null {
  return Bun.which(tool, { PATH: env.PATH ?? "" });
}

function dryRunExec({ output, env }: ExecOptions): Exec {
  const plan = (line: string) => output.plan(line);
  const planCommand = (argv: string[]) => {
    const missing = argv[0] && !toolPath(argv[0], env) ? `   (note: ${argv[0]} is not on PATH)` : "";
    plan(`$ ${shellQuote(argv)}${missing}`);
  };
  return {
    dryRun: true,
    async run(argv, opts) {
      planCommand(argv);
      return { exitCode: 0, stdout: opts?.dryRunOutput ?? "", stderr: "" };
    },
    async interactive(argv) {
      planCommand(argv);
      return 0;
    },
    async background(argv, opts) {
      planCommand(argv);
      const ready = opts.dryRunOutput.match(opts.readyPattern);
      if (!ready) throw new Error(`dry-run output does not match ${opts.readyPattern}`);
      return { ready, stop: async () => {} };
    },
    async http(req) {
      plan(`${req.method} ${req.url}${req.json === undefined ? "" : " (JSON body)"}`);
      return undefined;
    },
    async writeFile(path) {
      plan(`write ${path}`);
    },
  };
}

function realExec({ output, env, cwd }: ExecOptions): Exec {
  const resolve = (argv: string[]): string[] => {
    const [tool, ...rest] = argv;
    if (!tool) throw new Error("empty command");
    const path = toolPath(tool, env);
    if (!path) throw new MissingTool(tool);
    return [path, ...rest];
  };
  const childEnv = (extra?: Record<string, string>) => ({ ...env, ...extra });

  return {
    dryRun: false,
    async run(argv, opts = {}) {
      output.command(shellQuote(argv));
      const proc = Bun.spawn(resolve(argv), {
        cwd: opts.cwd ?? cwd,
        env: childEnv(opts.env),
        stdin: opts.stdin === undefined ? "ignore" : new Blob([opts.stdin]),
        stdout: opts.capture ? "pipe" : "inherit",
        stderr: opts.capture ? "pipe" : "inherit",
      });
      const [stdout, stderr, exitCode] = await Promise.all([
        opts.capture ? new Response(proc.stdout as ReadableStream).text() : "",
        opts.capture ? new Response(proc.stderr as ReadableStream).text() : "",
        proc.exited,
      ]);
      if (exitCode !== 0 && !(opts.okExitCodes ?? []).includes(exitCode)) {
        // The tool's last words go on the first line: summaries show only that one.
        const said = stderr.trim().split("\n").filter(Boolean).slice(-5);
        const last = said.pop();
        const first = `\`${shellQuote(argv)}\` exited with ${exitCode}${last ? `: ${last}` : ""}`;
        throw new CheckFailed([first, ...said.map((line) => `  ${line}`)].join("\n"));
      }
      return { exitCode, stdout, stderr };
    },
    async interactive(argv, opts = {}) {
      output.command(shellQuote(argv));
      const proc = Bun.spawn(resolve(argv), {
        cwd: opts.cwd ?? cwd,
        env: childEnv(),
        stdio: ["inherit", "inherit", "inherit"],
      });
      return proc.exited;
    },
    async background(argv, opts) {
      output.command(`${shellQuote(argv)} &`);
      const proc = Bun.spawn(resolve(argv), { cwd, env: childEnv(), stdout: "pipe", stderr: "pipe" });
      const stop = async () => {
        proc.kill();
        await proc.exited;
      };
      const ready = await firstMatchingLine(proc.stdout, opts.readyPattern, opts.readyTimeoutMs ?? 15_000);
      if (!ready) {
        await stop();
        const stderr = await new Response(proc.stderr).text();
        throw new CheckFailed(
          `\`${shellQuote(argv)}\` did not become ready${stderr ? `: ${stderr.trim()}` : ""}`,
        );
      }
      return { ready, stop };
    },
    async http(req) {
      const res = await fetch(req.url, {
        method: req.method,
        headers: req.json === undefined ? {} : { "content-type": "application/json" },
        body: req.json === undefined ? undefined : JSON.stringify(req.json),
        signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
        tls: { rejectUnauthorized: !req.insecure },
      } as RequestInit);
      return { status: res.status, body: await res.text() };
    },
    async writeFile(path, content) {
      await Bun.write(path, content);
    },
  };
}

/** Reads lines until one matches; the rest of the stream keeps draining so the child never blocks. */
async function firstMatchingLine(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpMatchArray | null> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  // A cleared timer, not Bun.sleep: a pending sleep would keep the CLI alive after its work is done.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), timedOut]);
      if (!chunk || chunk.done) break;
      buffered += decoder.decode(chunk.value, { stream: true });
      for (const line of buffered.split("\n")) {
        const match = line.match(pattern);
        if (match) {
          void drain(reader);
          return match;
        }
      }
    }
  } finally {
    clearTimeout(timer);
  }
  reader.releaseLock();
  return null;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done) {}
  } catch {
    // The child was stopped; nothing left to read.
  }
}
