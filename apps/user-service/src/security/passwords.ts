import { AppError } from "@ecom/errors";
import { type ConcurrencyLimiter, LimiterFullError } from "./concurrency-limiter.ts";

export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Does a real verification against a throwaway hash: an unknown email costs as much as a wrong password. */
  verifyNothing(password: string): Promise<false>;
};

/**
 * 503 rather than 429: the queue is full because of everyone's logins, not this client's (the
 * per-email limit already answers 429 for one client's repeats). Retry-After 1: a slot frees every
 * ~250 ms, and the 429 limit keeps any one client's retries bounded.
 */
export class PasswordHashingBusyError extends AppError {
  constructor() {
    super(
      503,
      "DEPENDENCY_UNAVAILABLE",
      "Too many password checks in progress, try again shortly",
      { dependency: "password-hashing" },
      { "retry-after": "1" },
    );
  }
}

/**
 * argon2id with Bun's defaults (64 MiB, t=2): slow on purpose, hence the login rate limit. Every
 * hash and verification goes through `limiter`: unbounded, they run in parallel on every core and
 * starve all other requests (and take 64 MiB each); the unknown-email dummy too, so it waits like
 * a real one and timing tells nothing.
 */
export function createPasswordHasher(limiter: ConcurrencyLimiter): PasswordHasher {
  const limited = <T>(task: () => Promise<T>) =>
    limiter.run(task).catch((error: unknown) => {
      throw error instanceof LimiterFullError ? new PasswordHashingBusyError() : error;
    });
  const hash = (password: string) => limited(() => Bun.password.hash(password, { algorithm: "argon2id" }));
  // Computed up front so the first unknown-email login is not slower (and so distinguishable).
  const dummy = hash(crypto.randomUUID());
  return {
    hash,
    verify: (password, stored) => limited(() => Bun.password.verify(password, stored)),
    async verifyNothing(password) {
      const dummyHash = await dummy;
      await limited(() => Bun.password.verify(password, dummyHash));
      return false;
    },
  };
}
