/**
 * How long the harness lets a child (a service process, PostgreSQL) take to come up before calling it
 * hung, and the timeout to give a test that boots something heavy (PGlite): the per-test timeout of
 * `bun run test`. Only a hang reaches it; a loaded machine needs a fraction.
 */
export const BOOT_BOUND_MS = 180_000;

/**
 * Polls `probe` until `done` accepts what it returned, and returns that. There is no deadline of its
 * own: the test's timeout is the only bound, so a loaded machine makes a test slower, never red.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  everyMs = 10,
): Promise<T> {
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    await Bun.sleep(everyMs);
  }
}

/** {@link waitFor} for a yes/no condition. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, everyMs = 10): Promise<void> {
  await waitFor(condition, (ok) => ok, everyMs);
}
