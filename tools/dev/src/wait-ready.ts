/**
 * Polls the probe until it answers 200. Gives up early when the process has exited (it will not
 * come up) or when the timeout passes.
 */
export async function waitReady(
  url: string,
  options: { timeoutMs: number; exited: () => boolean },
): Promise<"ready" | "exited" | "timeout"> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.exited()) return "exited";
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return "ready";
    } catch {
      // not listening yet
    }
    await Bun.sleep(200);
  }
  return "timeout";
}
