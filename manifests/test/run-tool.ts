/** Runs an installed command-line tool; a missing tool is a test failure, never a skip. */
export type ToolResult = { exitCode: number; stdout: string; stderr: string };

export function requireTool(name: string): string {
  const path = Bun.which(name);
  if (!path) {
    throw new Error(`${name} is not installed; run: bash .ci/install/manifests.sh`);
  }
  return path;
}

export async function runTool(
  cmd: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<ToolResult> {
  const [name, ...args] = cmd;
  const proc = Bun.spawn([requireTool(name!), ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, stdout, stderr };
}
