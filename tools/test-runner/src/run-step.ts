export type StepResult = { name: string; ok: boolean; passed: number; failed: number; seconds: number };

/** Runs one step with its output streamed through, and reads bun:test's ` N pass` / ` N fail` totals. */
export async function runStep(name: string, cmd: string[]): Promise<StepResult> {
  console.log(`\n=== ${name}: ${cmd.join(" ")}`);
  const started = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let tail = "";
  const pump = async (stream: ReadableStream<Uint8Array>, out: NodeJS.WriteStream) => {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.write(value);
      tail = (tail + decoder.decode(value, { stream: true })).slice(-20_000);
    }
  };
  await Promise.all([pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr), proc.exited]);
  const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}$`, "m").exec(tail)?.[1] ?? 0);
  const seconds = (performance.now() - started) / 1000;
  const result = { name, ok: proc.exitCode === 0, passed: count("pass"), failed: count("fail"), seconds };
  console.log(`=== ${name}: ${result.ok ? "ok" : "FAILED"} in ${seconds.toFixed(1)} s`);
  return result;
}
