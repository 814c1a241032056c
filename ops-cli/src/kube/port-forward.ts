import type { BackgroundProcess } from "../exec/exec.ts";
import type { Ops } from "../ops.ts";
import type { Environment } from "../settings/environments.ts";
import { kubectl } from "./kubectl.ts";

/** `kubectl port-forward` to a Service on a free local port; resolves once kubectl says it listens. */
export async function portForward(
  ops: Ops,
  environment: Environment,
  service: string,
  port: number,
): Promise<{ url: string; process: BackgroundProcess }> {
  const process = await ops.exec.background(
    kubectl(environment, "-n", environment.namespace, "port-forward", `service/${service}`, `:${port}`),
    {
      readyPattern: /Forwarding from 127\.0\.0\.1:(\S+) ->/,
      dryRunOutput: `Forwarding from 127.0.0.1:<${service}-port> -> ${port}`,
    },
  );
  return { url: `http://127.0.0.1:${process.ready[1]}`, process };
}
