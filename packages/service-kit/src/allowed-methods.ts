export type Route = { method: string; path: string };

/** Static segments outrank parameters, parameters outrank a wildcard, as in Elysia's router. */
const segmentRank = (segment: string) => (segment === "*" ? 0 : segment.startsWith(":") ? 1 : 2);

function matches(pattern: string[], path: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] as string;
    if (segment === "*") return true;
    if (i >= path.length) return segment.endsWith("?");
    if (segmentRank(segment) === 2 && segment !== path[i]) return false;
  }
  return pattern.length === path.length;
}

const segments = (path: string) => path.split("/").filter((s) => s !== "");

/** Which pattern of two matching ones names the resource: the first segment where they differ decides. */
function moreSpecific(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = segmentRank(a[i] ?? "*") - segmentRank(b[i] ?? "*");
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * The methods an app answers on a path, for a 405's `Allow` header: those of the most specific route
 * pattern that matches it (`/api/users/register` rather than `/api/users/:id`), with HEAD wherever
 * GET is, since Bun answers it. Reads the routes when asked, so routes added after start count.
 */
export function allowedMethods(routes: () => readonly Route[]): (path: string) => string[] {
  return (path) => {
    const target = segments(path);
    let best: string[] | undefined;
    let methods = new Set<string>();
    for (const route of routes()) {
      const pattern = segments(route.path);
      if (!matches(pattern, target)) continue;
      const order = best ? moreSpecific(pattern, best) : 1;
      if (order < 0) continue;
      if (order > 0) {
        best = pattern;
        methods = new Set();
      }
      methods.add(route.method.toUpperCase());
      if (route.method.toUpperCase() === "GET") methods.add("HEAD");
    }
    return [...methods].sort();
  };
}
