import { ProcessStartError, type SpawnedProcess, spawnProcess } from "@ecom/system/spawn";

export type ManagedSpec = {
  label: string;
  entry: string;
  port: number;
  readyPath: string;
  env: Record<string, string>;
  /** Only a bound for a hang: a start still not ready after it is killed and reported. */
  readyBoundMs: number;
};

/** How a start ended: ready, exited before it was, or still not ready at the bound (then killed). */
export type StartResult = "ready" | "exited" | "hung";

type LineSink = (label: string, line: string) => void;

/**
 * One child `bun` process that can be started, stopped (SIGTERM, then SIGKILL after the timeout)
 * and started again. Its stdout and stderr go line by line to the sink; an exit nobody asked for is
 * reported to `onCrash`.
 */
export class ManagedProcess {
  private child: SpawnedProcess | undefined;
  /** Set while a stop we asked for is in progress, so that exit is not reported as a crash. */
  private stopping = false;

  constructor(
    private readonly spec: ManagedSpec,
    private readonly sink: LineSink,
    private readonly onCrash: (label: string, code: number | null) => void,
  ) {}

  /** Starts the process and resolves once it answers its readiness path, or says why it did not. */
  async start(): Promise<StartResult> {
    const { label } = this.spec;
    const child = spawnProcess({
      name: label,
      entry: this.spec.entry,
      port: this.spec.port,
      env: this.spec.env,
      readyPath: this.spec.readyPath,
      // The sink prints every line, so none needs keeping here.
      output: { lines: { onLine: (line) => this.sink(label, line), keep: 0 } },
      hangBoundMs: this.spec.readyBoundMs,
    });
    this.child = child;
    void child.proc.exited.then((code) => {
      if (this.child === child && !this.stopping) this.onCrash(label, code);
    });
    try {
      await child.ready;
      return "ready";
    } catch (error) {
      if (error instanceof ProcessStartError) return error.reason;
      throw error;
    }
  }

  /** Resolves once the process has exited and its last output lines were printed. */
  async stop(timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    try {
      await child.stop("SIGTERM", timeoutMs);
    } finally {
      this.stopping = false;
      this.child = undefined;
    }
  }
}
