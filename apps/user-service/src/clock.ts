/** Time as a dependency, so tests can move it forward (rate-limit windows, token expiry) without sleeping. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
