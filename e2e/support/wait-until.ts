/**
 * Polls `condition` until it holds. `boundMs` only stops a hang, with `describe()` saying what was
 * seen last; pick it far above what a busy machine needs, since it is not a measure of speed.
 */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  options: { boundMs?: number; everyMs?: number; describe?: () => string | Promise<string> } = {},
): Promise<void> {
  const boundMs = options.boundMs ?? 60_000;
  const deadline = Date.now() + boundMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const seen = options.describe ? `: ${await options.describe()}` : "";
      throw new Error(`${what}: not within ${boundMs} ms${seen}`);
    }
    await Bun.sleep(options.everyMs ?? 50);
  }
}
