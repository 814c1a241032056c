import { pumpLines } from "@ecom/stream-lines";
import type { Subprocess } from "bun";

export type ProcessSpec = {
  label: string;
  entry: string;
  env: Record<string, string>;
};

type LineSink = (label: string, line: string) => void;

/**
 * One child `bun` process that can be stopped (SIGTERM, then SIGKILL after the timeout) and
 * started again. Its stdout and stderr go line by line to the sink.
 */
export class ManagedProcess {
  private proc: Subprocess<"ignore", "pipe", "pipe"> | undefined;
  private output: Promise<unknown> = Promise.resolve();
  /** Set while a stop we asked for is in progress, so that exit is not reported as a crash. */
  private stopping = false;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly sink: LineSink,
    private readonly onCrash: (label: string, code: number | null) => void,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  start(): void {
    const proc = Bun.spawn(["bun", this.spec.entry], {
      env: this.spec.env,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    this.proc = proc;
    const emit = (line: string) => this.sink(this.spec.label, line);
    this.output = Promise.all([pumpLines(proc.stdout, emit), pumpLines(proc.stderr, emit)]);
    void proc.exited.then((code) => {
      if (this.proc === proc && !this.stopping) this.onCrash(this.spec.label, code);
    });
  }

  /** Resolves once the process has exited and its last output lines were printed. */
  async stop(timeoutMs: number): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.stopping = true;
    try {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGTERM");
        const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
        await proc.exited;
        clearTimeout(timer);
      }
      await this.output;
    } finally {
      this.stopping = false;
      this.proc = undefined;
    }
  }

  /** Immediate SIGKILL, for a second Ctrl-C or the process's exit hook. */
  kill(): void {
    this.proc?.kill("SIGKILL");
  }

  exited(): Promise<number | null> {
    return this.proc?.exited ?? Promise.resolve(null);
  }
}
