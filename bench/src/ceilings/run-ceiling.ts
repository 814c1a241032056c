import { join } from "node:path";
import type { CeilingOutput } from "./closed-loop.ts";

/** Runs a ceiling script (this folder) as its own process; `onStart` gets its pid for CPU sampling. */
export async function runCeiling(
  script: "mongo-find-by-id.ts" | "mongo-list.ts" | "pg-order-insert.ts",
  args: Record<string, unknown>,
  onStart?: (pid: number) => void,
): Promise<CeilingOutput & { pid: number }> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, script), JSON.stringify(args)], {
    stdout: "pipe",
    stderr: "pipe",
  });
  onStart?.(proc.pid);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${script} exited with ${code}: ${stderr}`);
  return { ...(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as CeilingOutput), pid: proc.pid };
}

/** Starts the bare HTTP server process and resolves once it listens. */
export async function startBareServer(port: number, bodyFile: string) {
  const proc = Bun.spawn(
    [process.execPath, join(import.meta.dir, "bare-http-server.ts"), JSON.stringify({ port, bodyFile })],
    { stdout: "pipe", stderr: "inherit" },
  );
  const reader = proc.stdout.getReader();
  const { value } = await reader.read();
  if (!new TextDecoder().decode(value).includes("ready")) throw new Error("bare server did not start");
  reader.releaseLock();
  return {
    pid: proc.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}
