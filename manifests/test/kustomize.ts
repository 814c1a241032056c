import { join } from "node:path";
import { requireTool, runTool } from "./run-tool.ts";

/** A Kubernetes object as rendered; fields are read through the helpers in the tests. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML is checked field by field by the tests
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  data?: any;
  automountServiceAccountToken?: boolean;
};

export const manifestsDir = join(import.meta.dir, "..");
export const repoRoot = join(manifestsDir, "..");

/** Every kustomization that is deployed on its own. */
export const deployables = {
  dev: "overlays/dev",
  staging: "overlays/staging",
  prod: "overlays/prod",
  observability: "observability",
} as const;

/**
 * Renders a kustomization the way `kubectl apply -k` would. The standalone `kustomize` binary is the
 * fallback the install script provides on machines without kubectl.
 */
export async function renderYaml(path: string): Promise<string> {
  const dir = join(manifestsDir, path);
  const cmd = Bun.which("kubectl") ? ["kubectl", "kustomize", dir] : ["kustomize", "build", dir];
  if (!Bun.which("kubectl")) requireTool("kustomize");
  const result = await runTool(cmd);
  if (result.exitCode !== 0) throw new Error(`rendering ${path} failed:\n${result.stderr}`);
  return result.stdout;
}

export function parseObjects(yaml: string): K8sObject[] {
  const parsed = Bun.YAML.parse(yaml) as K8sObject | K8sObject[] | null;
  if (parsed === null) return [];
  return (Array.isArray(parsed) ? parsed : [parsed]).filter((o) => o !== null);
}

const cache = new Map<string, Promise<K8sObject[]>>();

/** Rendered and parsed once per test process. */
export function render(path: string): Promise<K8sObject[]> {
  let objects = cache.get(path);
  if (!objects) {
    objects = renderYaml(path).then(parseObjects);
    cache.set(path, objects);
  }
  return objects;
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not rendered`);
  return found;
}

export const services = [
  { name: "user-service", port: 3001, database: "users-db", databasePort: 5432 },
  { name: "product-service", port: 3002, database: "products-db", databasePort: 27017 },
  { name: "order-service", port: 3003, database: "orders-db", databasePort: 5432 },
] as const;
