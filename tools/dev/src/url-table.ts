import type { DevConfig } from "./dev-config.ts";
import type { DevProcess } from "./services.ts";

/** The one summary printed when everything is ready: where to send requests, read docs and scrape metrics. */
export function urlTable(specs: DevProcess[], config: DevConfig, databases: string[]): string {
  const url = (port: number, path = "") => `http://localhost:${port}${path}`;
  const rows: string[][] = [["", "URL", "API docs", "Metrics"]];
  for (const spec of specs) {
    const isGateway = spec.key === "gateway";
    rows.push([
      spec.label,
      url(spec.port),
      url(spec.port, "/docs"),
      // The gateway routes only the public API; each service serves its own metrics.
      isGateway ? "-" : url(spec.port, "/metrics"),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => `  ${r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd());
  return [
    "",
    ...lines,
    "",
    ...databases.map((d) => `  ${d}`),
    `  Admin login: ${config.ADMIN_EMAIL} / ${config.ADMIN_PASSWORD}  (set ADMIN_EMAIL / ADMIN_PASSWORD to change)`,
    `  Try: curl ${url(config.GATEWAY_PORT, "/api/products")}`,
    "",
  ].join("\n");
}
