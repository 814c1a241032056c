import { loadConfigOrExit } from "@ecom/config";
import { devEnv } from "./dev-config.ts";
import { styleFor } from "./log-printer.ts";
import { runDev } from "./orchestrator.ts";

await runDev(loadConfigOrExit(devEnv), process.env, styleFor(process.stdout, process.env));
