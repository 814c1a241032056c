import { CheckFailed } from "../failures.ts";
import type { Ops } from "../ops.ts";
import type { Environment } from "../settings/environments.ts";

/** Refuses to touch an environment unless the current kube context is the one it is deployed through. */
export async function assertKubeContext(ops: Ops, environment: Environment): Promise<void> {
  const { stdout, exitCode } = await ops.exec.run(["kubectl", "config", "current-context"], {
    capture: true,
    okExitCodes: [1],
    dryRunOutput: environment.kubeContext,
  });
  const current = exitCode === 0 ? stdout.trim() : "";
  if (current !== environment.kubeContext) {
    const variable = environment.name === "prod" ? "ECOM_KUBE_CONTEXT_PROD" : "ECOM_KUBE_CONTEXT_STAGING";
    throw new CheckFailed(
      `${current ? `the current kube context is "${current}"` : "no kube context is set"} but ${environment.name} is deployed through "${environment.kubeContext}"; ` +
        `run \`kubectl config use-context ${environment.kubeContext}\` (or set ${variable})`,
    );
  }
}
