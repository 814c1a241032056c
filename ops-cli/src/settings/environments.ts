import { UsageFailure } from "../failures.ts";

export type EnvironmentName = "staging" | "prod";

export interface Environment {
  name: EnvironmentName;
  namespace: string;
  overlay: string;
  /** The kube context this environment must be deployed through. */
  kubeContext: string;
  /** A public base URL for smoke tests; when unset, smoke tests port-forward to each service. */
  smokeUrl?: string;
}

export function resolveEnvironment(name: string, env: Record<string, string | undefined>): Environment {
  if (name === "staging") {
    return {
      name,
      namespace: "staging",
      overlay: "manifests/overlays/staging",
      kubeContext: env.ECOM_KUBE_CONTEXT_STAGING || "staging",
      ...(env.ECOM_SMOKE_URL_STAGING ? { smokeUrl: env.ECOM_SMOKE_URL_STAGING } : {}),
    };
  }
  if (name === "prod" || name === "production") {
    return {
      name: "prod",
      namespace: "production",
      overlay: "manifests/overlays/prod",
      kubeContext: env.ECOM_KUBE_CONTEXT_PROD || "production",
      ...(env.ECOM_SMOKE_URL_PROD ? { smokeUrl: env.ECOM_SMOKE_URL_PROD } : {}),
    };
  }
  throw new UsageFailure(`unknown environment "${name}": expected staging or prod`);
}
