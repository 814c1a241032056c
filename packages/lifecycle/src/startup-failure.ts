/**
 * Thrown by a composition root when start-up failed after the service had already logged why (one
 * structured line), so the process only has to exit.
 */
export class StartupFailure extends Error {
  override name = "StartupFailure";
}
