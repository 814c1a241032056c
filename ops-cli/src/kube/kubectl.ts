import type { Environment } from "../settings/environments.ts";

/** kubectl pinned to the environment's context, so a later context switch cannot redirect a step. */
export function kubectl(environment: Environment, ...args: string[]): string[] {
  return ["kubectl", "--context", environment.kubeContext, ...args];
}
