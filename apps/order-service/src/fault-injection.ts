/**
 * Fault-injection hook for crash tests (CRASH_AFTER_RESERVE=1): the process dies with SIGKILL right
 * after the product service confirmed a reservation and before the order is marked reserved, the
 * worst moment for the saga. Refused in production by the config schema.
 */
export function crashAfterReserveHook(enabled: boolean): { afterReserve?: () => void } {
  return enabled ? { afterReserve: () => process.kill(process.pid, "SIGKILL") } : {};
}
