import type { Upstream } from "./routes.ts";

type Operation = { method: string; path: string; summary: string };
type ServiceSection = { upstream: Upstream; title: string; operations: Operation[] | undefined };
type OpenApiDoc = {
  info?: { title?: string };
  paths?: Record<string, Record<string, { summary?: string; description?: string }>>;
};

const methods = ["get", "post", "put", "patch", "delete"];

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function specPath(upstream: Upstream): string {
  return `/docs/${upstream.name}/openapi.json`;
}

async function loadSection(upstream: Upstream, timeoutMs: number): Promise<ServiceSection> {
  try {
    const res = await fetch(new URL("/openapi.json", upstream.baseUrl), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`status ${res.status}`);
    const doc = (await res.json()) as OpenApiDoc;
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      methods
        .filter((m) => item[m])
        .map((m) => ({
          method: m.toUpperCase(),
          path,
          summary: item[m]?.summary ?? item[m]?.description ?? "",
        })),
    );
    return { upstream, title: doc.info?.title ?? upstream.service, operations };
  } catch {
    return { upstream, title: upstream.service, operations: undefined };
  }
}

function renderSection(section: ServiceSection): string {
  const spec = specPath(section.upstream);
  const links = `<p><a href="${spec}">OpenAPI document (${spec})</a> · <a href="${escapeHtml(
    new URL("/docs", section.upstream.baseUrl).toString(),
  )}">interactive docs on the service</a></p>`;
  if (!section.operations) {
    return `<h2>${escapeHtml(section.title)}</h2>${links}<p class="down">The service is not reachable right now.</p>`;
  }
  const rows = section.operations
    .map(
      (op) =>
        `<tr><td class="m">${op.method}</td><td><code>${escapeHtml(op.path)}</code></td><td>${escapeHtml(op.summary)}</td></tr>`,
    )
    .join("");
  return `<h2>${escapeHtml(section.title)}</h2>${links}<table>${rows}</table>`;
}

/**
 * One page for the whole public API: every operation of the three services with links to their
 * OpenAPI documents, which the gateway serves so a browser or a code generator can fetch them.
 */
export async function docsPage(upstreams: Upstream[], timeoutMs: number): Promise<string> {
  const sections = await Promise.all(upstreams.map((u) => loadSection(u, timeoutMs)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>E-commerce API reference</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.3rem .5rem}
td.m{font-weight:600;width:5rem}.down{color:#b00}</style></head>
<body><h1>E-commerce API reference</h1>
<p>All paths below are served through this gateway. Errors use
<code>{"error":{"code","message","details?","requestId"}}</code>; send <code>x-request-id</code> to trace a request.</p>
${sections.map(renderSection).join("\n")}
</body></html>`;
}
