import { Command, Option } from "clipanion";
import { CheckFailed } from "../failures.ts";
import { kubectl } from "../kube/kubectl.ts";
import type { Ops } from "../ops.ts";
import { readReleaseState } from "../release/release-state.ts";
import { resolveEnvironment } from "../settings/environments.ts";
import { OpsCommand } from "./ops-command.ts";

interface DeploymentJson {
  metadata: { name: string; generation?: number };
  spec?: { replicas?: number; template?: { spec?: { containers?: { image: string }[] } } };
  status?: {
    observedGeneration?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

export interface DeploymentStatus {
  name: string;
  images: string[];
  replicas: number;
  ready: number;
  updated: number;
  available: number;
  rollout: "complete" | "progressing" | "failed";
}

export function deploymentStatus(d: DeploymentJson): DeploymentStatus {
  const replicas = d.spec?.replicas ?? 1;
  const status = d.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const progressing = status.conditions?.find((c) => c.type === "Progressing");
  const observed = (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
  const rollout =
    progressing?.reason === "ProgressDeadlineExceeded"
      ? "failed"
      : observed && updated === replicas && available === replicas
        ? "complete"
        : "progressing";
  return {
    name: d.metadata.name,
    images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image),
    replicas,
    ready: status.readyReplicas ?? 0,
    updated,
    available,
    rollout,
  };
}

export class StatusCommand extends OpsCommand {
  static override paths = [["status"]];
  static override usage = Command.Usage({
    category: "Verify",
    description: "Show deployments, rollout state and the current / last good / previous good tags",
    examples: [
      ["Human-readable status of staging", "$0 status staging"],
      ["Machine-readable status of prod", "$0 status prod --json"],
    ],
  });

  environment = Option.String({ name: "staging|prod" });
  json = Option.Boolean("--json", false, { description: "Print one JSON document on stdout" });

  protected summaryTitle(): string {
    return `ecom status ${this.environment}`;
  }

  protected async run(ops: Ops): Promise<void> {
    const environment = resolveEnvironment(this.environment, ops.env);
    const state = await ops.reporter.step(`read ${environment.namespace} release history`, () =>
      readReleaseState(ops, environment),
    );
    const deployments = await ops.reporter.step(`read ${environment.namespace} deployments`, async () => {
      const { stdout } = await ops.exec.run(
        kubectl(environment, "-n", environment.namespace, "get", "deployments", "-o", "json"),
        { capture: true, dryRunOutput: '{"items":[]}' },
      );
      try {
        return (JSON.parse(stdout).items as DeploymentJson[]).map(deploymentStatus);
      } catch {
        throw new CheckFailed("kubectl printed no deployment list");
      }
    });
    if (ops.exec.dryRun) return;
    const report = {
      environment: environment.name,
      namespace: environment.namespace,
      context: environment.kubeContext,
      currentTag: state.currentTag ?? null,
      lastGoodTag: state.lastGood?.tag ?? null,
      previousGoodTag: state.previousGood?.tag ?? null,
      failedTag: state.failedTag ?? null,
      deployments,
    };
    if (this.json) {
      ops.output.out(JSON.stringify(report, null, 2));
      return;
    }
    ops.output.out(
      `${environment.name} (namespace ${environment.namespace}, context ${environment.kubeContext})`,
    );
    ops.output.out(`  current tag:       ${report.currentTag ?? "-"}`);
    ops.output.out(`  last good tag:     ${report.lastGoodTag ?? "-"}`);
    ops.output.out(`  previous good tag: ${report.previousGoodTag ?? "-"}`);
    if (report.failedTag) ops.output.out(`  last failed tag:   ${report.failedTag}`);
    for (const d of deployments) {
      ops.output.out(
        `  ${d.name.padEnd(18)} ${`${d.ready}/${d.replicas} ready`.padEnd(11)} ${d.rollout.padEnd(11)} ${d.images.join(", ")}`,
      );
    }
  }
}
