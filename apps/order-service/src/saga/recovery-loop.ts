import type { Log } from "./saga-deps.ts";

export type RecoveryLoop = { stop(): Promise<void> };

/**
 * Runs `pass` now and then every `intervalMs`, never two at once. `stop` waits for a running pass, so
 * shutdown does not cut a saga step in half.
 */
export function startRecoveryLoop(options: {
  pass: () => Promise<unknown>;
  intervalMs: number;
  log: Pick<Log, "warn">;
}): RecoveryLoop {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = options
      .pass()
      .then(
        () => {},
        (error: unknown) =>
          options.log.warn("recovery pass failed", { "error.message": (error as Error).message }),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
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
