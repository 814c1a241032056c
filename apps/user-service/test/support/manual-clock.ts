import type { Clock } from "@ecom/service-kit";

export type ManualClock = Clock & { advance(seconds: number): void };

/** Starts at the real time (so tokens it stamps verify normally) and only moves when told to. */
export function manualClock(start = Date.now()): ManualClock {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (seconds) => {
      t += seconds * 1000;
    },
  };
}
