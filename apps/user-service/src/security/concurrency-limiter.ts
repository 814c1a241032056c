/** Thrown by `run` when `limit` tasks are running and `maxQueued` more are already waiting. */
export class LimiterFullError extends Error {
  constructor() {
    super("too many tasks waiting");
    this.name = "LimiterFullError";
  }
}

export type ConcurrencyLimiter = {
  /** Runs `task` once fewer than `limit` tasks are running; waiting tasks start in arrival order. */
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly queued: number;
};

/** A counting semaphore with a bounded FIFO queue. */
export function createConcurrencyLimiter(options: { limit: number; maxQueued: number }): ConcurrencyLimiter {
  const { limit, maxQueued } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be an integer ≥ 1");
  if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new RangeError("maxQueued must be an integer ≥ 0");
  let running = 0;
  const waiting: Array<() => void> = [];

  // A finishing task hands its slot straight to the oldest waiter, so `running` never dips and a
  // newcomer cannot overtake the queue.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return {
    async run(task) {
      if (running < limit) running++;
      else if (waiting.length >= maxQueued) throw new LimiterFullError();
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get queued() {
      return waiting.length;
    },
  };
}
