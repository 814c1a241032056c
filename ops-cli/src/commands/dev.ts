import { Command, Option } from "clipanion";
import { CheckFailed, MissingTool } from "../failures.ts";
import type { Ops } from "../ops.ts";
import { OpsCommand } from "./ops-command.ts";

export class DevCommand extends OpsCommand {
  static override paths = [["dev"]];
  static override usage = Command.Usage({
    category: "Develop",
    description: "Run the system for development: skaffold dev on a cluster, else the local `bun run dev`",
    details: `
      When kubectl has a current context, runs \`skaffold dev\` against it (images rebuilt and redeployed on change).
      Otherwise, or with \`--local\`, runs \`bun run dev\`: every service and the gateway on this machine.
    `,
    examples: [
      ["Use the cluster when there is one", "$0 dev"],
      ["Always run locally", "$0 dev --local"],
    ],
  });

  local = Option.Boolean("--local", false, { description: "Run locally even when a kube context exists" });

  protected summaryTitle(): string {
    return "ecom dev";
  }

  protected async run(ops: Ops): Promise<void> {
    const context = this.local ? null : await currentContext(ops);
    const argv = context ? ["skaffold", "dev", "--kube-context", context] : ["bun", "run", "dev"];
    ops.reporter.note(
      context ? `kube context ${context}: skaffold dev` : "no kube context: local bun run dev",
    );
    const code = await ops.exec.interactive(argv);
    if (code !== 0) throw new CheckFailed(`${argv.slice(0, 2).join(" ")} exited with ${code}`);
  }
}

/** The current kube context, or null when kubectl is missing or has none. */
async function currentContext(ops: Ops): Promise<string | null> {
  try {
    const { exitCode, stdout } = await ops.exec.run(["kubectl", "config", "current-context"], {
      capture: true,
      okExitCodes: [1],
      dryRunOutput: "<current-context>",
    });
    return exitCode === 0 && stdout.trim() ? stdout.trim() : null;
  } catch (error) {
    if (error instanceof MissingTool) return null;
    throw error;
  }
}
