import { Builtins, Cli } from "clipanion";
import { BuildCommand } from "./commands/build.ts";
import { DeployCommand } from "./commands/deploy.ts";
import { DevCommand } from "./commands/dev.ts";
import { PushCommand } from "./commands/push.ts";
import { RollbackCommand } from "./commands/rollback.ts";
import { ScanCommand } from "./commands/scan.ts";
import { SmokeCommand } from "./commands/smoke.ts";
import { StatusCommand } from "./commands/status.ts";
import { TestCommand } from "./commands/test.ts";
import { EXIT } from "./failures.ts";

export function createCli(): Cli {
  const cli = new Cli({
    binaryLabel:
      "ecom: build, verify and ship the e-commerce backend (exit codes: 0 ok, 1 failed check, 2 usage)",
    binaryName: "ecom",
    binaryVersion: "0.1.0",
    enableColors: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  });
  for (const command of [
    BuildCommand,
    TestCommand,
    ScanCommand,
    PushCommand,
    DeployCommand,
    SmokeCommand,
    RollbackCommand,
    StatusCommand,
    DevCommand,
    Builtins.HelpCommand,
    Builtins.VersionCommand,
  ]) {
    cli.register(command);
  }
  return cli;
}

/** Parses first so a malformed command line exits 2 (clipanion alone would exit 1). */
export async function runCli(argv: string[]): Promise<number> {
  const cli = createCli();
  let command: ReturnType<Cli["process"]>;
  try {
    command = cli.process(argv, Cli.defaultContext);
  } catch (error) {
    process.stderr.write(cli.error(error instanceof Error ? error : new Error(String(error))));
    return EXIT.usage;
  }
  return cli.run(command, Cli.defaultContext);
}
