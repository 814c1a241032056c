import type { BackgroundProcess } from "../exec/exec.ts";
import { portForward } from "../kube/port-forward.ts";
import type { Ops } from "../ops.ts";
import { resolveEnvironment } from "../settings/environments.ts";
import { SERVICES, type ServiceName } from "../settings/services.ts";

/**
 * Where the smoke suite sends requests: straight to each service (local ports or port-forwards), which
 * also reaches /health/*, or through a gateway base URL, which only routes /api/*.
 */
export type SmokeTarget =
  | { mode: "direct"; services: Record<ServiceName, string> }
  | { mode: "gateway"; baseUrl: string };

export interface OpenedTarget {
  target: SmokeTarget;
  close(): Promise<void>;
}

export async function openSmokeTarget(ops: Ops, where: string): Promise<OpenedTarget> {
  if (/^https?:\/\//.test(where)) {
    return { target: { mode: "gateway", baseUrl: where.replace(/\/+$/, "") }, close: async () => {} };
  }
  if (where === "local") {
    const services = Object.fromEntries(SERVICES.map((s) => [s.name, `http://127.0.0.1:${s.port}`]));
    return {
      target: { mode: "direct", services: services as Record<ServiceName, string> },
      close: async () => {},
    };
  }
  const environment = resolveEnvironment(where, ops.env);
  if (environment.smokeUrl) return openSmokeTarget(ops, environment.smokeUrl);
  return forwardAll(ops, environment);
}

async function forwardAll(
  ops: Ops,
  environment: ReturnType<typeof resolveEnvironment>,
): Promise<OpenedTarget> {
  const processes: BackgroundProcess[] = [];
  const close = async () => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  const services: Partial<Record<ServiceName, string>> = {};
  try {
    for (const { name, port } of SERVICES) {
      const forwarded = await portForward(ops, environment, name, port);
      processes.push(forwarded.process);
      services[name] = forwarded.url;
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { target: { mode: "direct", services: services as Record<ServiceName, string> }, close };
}
