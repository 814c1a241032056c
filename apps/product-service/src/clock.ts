/** Time as a dependency, so timestamps and reservation leases can be controlled in tests. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
