/** Time as a dependency, so tests can move it (rate-limit windows, token expiry, leases) without sleeping. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
