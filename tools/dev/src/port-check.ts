/** True when nothing listens on the port on any interface (the services bind 0.0.0.0). */
export function portIsFree(port: number): boolean {
  try {
    const probe = Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } });
    probe.stop(true);
    return true;
  } catch {
    return false;
  }
}

/** The first taken port as one line naming the variable that moves it, or undefined when all are free. */
export function takenPortMessage(
  ports: { port: number; variable: string; what: string }[],
): string | undefined {
  const taken = ports.find((p) => !portIsFree(p.port));
  if (!taken) return undefined;
  return `Port ${taken.port} (${taken.what}) is already in use; stop what uses it or set ${taken.variable} to another port.`;
}
