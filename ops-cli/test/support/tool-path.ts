/** A real tool for the tests that use one: PATH first, then where .ci/install/ops.sh puts it. */
export function toolPath(tool: string): string {
  const found =
    Bun.which(tool) ?? Bun.which(tool, { PATH: `${process.env.ECOM_TOOLS_DIR ?? "/opt/ecom-tools"}/bin` });
  if (!found) throw new Error(`${tool} is not installed: run .ci/install/ops.sh`);
  return found;
}
