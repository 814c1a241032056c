import type { Log } from "./saga-deps.ts";

export type RecoveryLoop = { stop(): Promise<void> };

/**
 * Runs `pass` now and then again after `intervalMs`, never two at once; sooner when a pass says a
 * row becomes claimable before that (`nextInMs`), so a saga leaving its grace period or a lease
 * running out is recovered at that moment rather than up to a whole interval later. `stop` waits for
 * a running pass, so shutdown does not cut a saga step in half.
 */
export function startRecoveryLoop(options: {
  pass: () => Promise<{ nextInMs?: number }>;
  intervalMs: number;
  log: Pick<Log, "warn">;
}): RecoveryLoop {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = options.pass().then(
      (report) => schedule(Math.min(options.intervalMs, report.nextInMs ?? options.intervalMs)),
      (error: unknown) => {
        options.log.warn("recovery pass failed", { "error.message": (error as Error).message });
        schedule(options.intervalMs);
      },
    );
  };
  const schedule = (delayMs: number) => {
    if (!stopped) timer = setTimeout(tick, delayMs);
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
