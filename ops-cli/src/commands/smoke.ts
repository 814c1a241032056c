import { Command, Option } from "clipanion";
import type { Ops } from "../ops.ts";
import { runSmokeSuite, smokeOptions } from "../smoke/smoke-suite.ts";
import { openSmokeTarget } from "../smoke/smoke-target.ts";
import { OpsCommand } from "./ops-command.ts";

export class SmokeCommand extends OpsCommand {
  static override paths = [["smoke"]];
  static override usage = Command.Usage({
    category: "Verify",
    description: "Run the smoke suite against an environment, the local services or a gateway URL",
    details: `
      \`staging\`/\`prod\`: port-forwards to each service (or uses ECOM_SMOKE_URL_STAGING / ECOM_SMOKE_URL_PROD) and checks
      /health/live and /health/ready of each service, a catalog read, and a login with the smoke account when
      ECOM_SMOKE_EMAIL and ECOM_SMOKE_PASSWORD are set.
      \`local\`: the same checks against the services on ports 3001-3003 (\`bun run dev\`).
      A URL: the gateway; each service is reached through a public /api route, then the catalog read and login.
      Each check is tried up to ECOM_SMOKE_ATTEMPTS times (default 3), one second apart.
    `,
    examples: [
      ["Check the local system through its gateway", "$0 smoke http://localhost:8080"],
      ["Check the services started by bun run dev directly", "$0 smoke local"],
      ["Check staging through port-forwards", "$0 smoke staging"],
      [
        "Check a local HTTPS gateway with a self-signed certificate",
        "$0 smoke https://127.0.0.1:8443 --insecure",
      ],
    ],
  });

  target = Option.String({ name: "staging|prod|local|URL" });
  insecure = Option.Boolean("--insecure", false, {
    description: "Accept a self-signed certificate (a local HTTPS gateway)",
  });

  protected summaryTitle(): string {
    return `ecom smoke ${this.target}`;
  }

  protected async run(ops: Ops): Promise<void> {
    const opened = await ops.reporter.step(`open ${this.target}`, () => openSmokeTarget(ops, this.target));
    try {
      await runSmokeSuite(ops, opened.target, smokeOptions(ops.env, this.insecure));
    } finally {
      await opened.close();
    }
  }
}
