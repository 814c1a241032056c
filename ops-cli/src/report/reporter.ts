import type { Output } from "./output.ts";

type StepState = "ok" | "failed" | "skipped";

interface StepRecord {
  name: string;
  state: StepState;
  ms: number;
  note?: string;
}

/** Prints each step with its duration as it happens and a summary table at the end. */
export class Reporter {
  private readonly steps: StepRecord[] = [];
  private readonly started = performance.now();

  constructor(private readonly output: Output) {}

  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.output.err(`${this.output.paint("bold", "▸")} ${name}`);
    const start = performance.now();
    try {
      const result = await work();
      this.finish(name, "ok", start);
      return result;
    } catch (error) {
      this.finish(
        name,
        "failed",
        start,
        error instanceof Error ? error.message.split("\n")[0] : String(error),
      );
      throw error;
    }
  }

  skip(name: string, reason: string): void {
    this.steps.push({ name, state: "skipped", ms: 0, note: reason });
    this.output.err(
      `${this.output.paint("yellow", "-")} ${name} ${this.output.paint("dim", `(skipped: ${reason})`)}`,
    );
  }

  /** Adds an informational line under the current step. */
  note(text: string): void {
    this.output.err(`    ${text}`);
  }

  summary(title: string, exitCode: number): void {
    const { paint } = this.output;
    const total = formatMs(performance.now() - this.started);
    this.output.err("");
    this.output.err(paint("bold", `Summary: ${title}`));
    for (const step of this.steps) {
      const mark =
        step.state === "ok"
          ? paint("green", "✓")
          : step.state === "failed"
            ? paint("red", "✗")
            : paint("yellow", "-");
      const note = step.note ? paint("dim", `  ${step.note}`) : "";
      this.output.err(`  ${mark} ${step.name.padEnd(52)} ${formatMs(step.ms).padStart(7)}${note}`);
    }
    const verdict = exitCode === 0 ? paint("green", "ok") : paint("red", `failed (exit ${exitCode})`);
    this.output.err(`  ${verdict} in ${total}`);
  }

  private finish(name: string, state: StepState, start: number, note?: string): void {
    const ms = performance.now() - start;
    this.steps.push({ name, state, ms, ...(note ? { note } : {}) });
    const mark = state === "ok" ? this.output.paint("green", "✓") : this.output.paint("red", "✗");
    this.output.err(`${mark} ${name} ${this.output.paint("dim", `(${formatMs(ms)})`)}`);
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
