import type { Clock } from "@ecom/service-kit";

type Window = { attempts: number; startedAt: number };

export type LoginRateLimiter = {
  /**
   * Counts an attempt for the key, or, when the key has used up its window, returns the seconds
   * to wait (and counts nothing).
   */
  attempt(key: string): number | undefined;
  /** A successful login clears the key's count. */
  reset(key: string): void;
};

/** Above this many tracked keys, expired windows are swept so memory stays bounded. */
const SWEEP_ABOVE = 10_000;

/**
 * Fixed window per key (email + client IP): after `max` attempts without a success, the key is
 * blocked until the window that began with its first attempt ends. Attempts are counted before the
 * password is checked, so a burst of parallel guesses cannot slip past the limit. Kept in process
 * memory, so with several replicas each enforces its own limit; argon2's cost bounds the rest.
 */
export function createLoginRateLimiter(options: {
  max: number;
  windowSeconds: number;
  clock: Clock;
}): LoginRateLimiter {
  const windows = new Map<string, Window>();
  const windowMs = options.windowSeconds * 1000;
  const now = () => options.clock.now().getTime();
  const current = (key: string, at: number): Window | undefined => {
    const w = windows.get(key);
    if (w && at - w.startedAt >= windowMs) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };
  const sweep = (at: number) => {
    for (const [key, w] of windows) if (at - w.startedAt >= windowMs) windows.delete(key);
  };

  return {
    attempt(key) {
      const at = now();
      const w = current(key, at);
      if (!w) {
        if (windows.size >= SWEEP_ABOVE) sweep(at);
        windows.set(key, { attempts: 1, startedAt: at });
        return undefined;
      }
      if (w.attempts >= options.max) return Math.max(1, Math.ceil((w.startedAt + windowMs - at) / 1000));
      w.attempts += 1;
      return undefined;
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
