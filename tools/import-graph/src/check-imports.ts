import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** One import that breaks a rule, with the file it is in (relative to the repo root). */
export type Violation = { file: string; specifier: string; rule: string };

/** Folders whose code only developers run; production code must not reach them. */
const devOnly = ["tools", "bench", "e2e"];
/** Folders that ship: what a service image holds. */
const production = ["apps", "packages"];
const skipped = new Set(["node_modules", ".git", ".data", "coverage", "target", "dist"]);

type Workspace = { name: string; dir: string };

/** The workspaces the root package.json declares (`apps/*` style globs and plain folders). */
function workspacesOf(root: string): Workspace[] {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces: string[] };
  const dirs = manifest.workspaces.flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(root, pattern.slice(0, -2), entry.name))
      : [join(root, pattern)],
  );
  return dirs
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({
      dir,
      name: (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string }).name,
    }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const typeImport = /\b(?:import|export)\s+type\b[^;]*?\bfrom\s*["']([^"']+)["']/g;

const inside = (dir: string, path: string) => path === dir || path.startsWith(dir + sep);
const topFolder = (root: string, path: string) => relative(root, path).split(sep)[0] ?? "";

/**
 * Checks every TypeScript file under `root` against the workspace rules:
 * - production code (`apps/`, `packages/`) imports nothing from `tools/`, `bench/` or `e2e/`,
 *   whether by package name or by path;
 * - a relative import never leaves its workspace (the repo root counts as one): code in another
 *   workspace is reached through its package name, so its package.json says what it exports.
 */
export function checkImports(root: string): Violation[] {
  const workspaces = workspacesOf(root);
  const byName = new Map(workspaces.map((w) => [w.name, w.dir]));
  const owner = (path: string) =>
    workspaces.filter((w) => inside(w.dir, path)).sort((a, b) => b.dir.length - a.dir.length)[0]?.dir ?? root;
  const transpilers = {
    ts: new Bun.Transpiler({ loader: "ts" }),
    tsx: new Bun.Transpiler({ loader: "tsx" }),
  };
  const violations: Violation[] = [];

  const files = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !skipped.has(entry.name) && !entry.name.startsWith("."))
    .flatMap((entry) => sourceFiles(join(root, entry.name)));
  for (const file of files) {
    const from = owner(file);
    const shipped = production.includes(topFolder(root, file));
    // The transpiler refuses a shebang line; it holds no import.
    const source = readFileSync(file, "utf8").replace(/^#!.*/, "");
    const transpiler = file.endsWith(".tsx") ? transpilers.tsx : transpilers.ts;
    // The transpiler drops type-only imports; they still tie one workspace to another's files.
    const typeOnly = [...source.matchAll(typeImport)].map((m) => m[1] as string);
    const specifiers = [...transpiler.scanImports(source).map((i) => i.path), ...typeOnly];
    for (const specifier of specifiers) {
      let target: string | undefined;
      if (specifier.startsWith(".")) {
        target = resolve(dirname(file), specifier);
        if (owner(target) !== from) {
          violations.push({
            file: relative(root, file),
            specifier,
            rule: "relative import leaves its workspace; import the package by name",
          });
        }
      } else {
        const name = specifier
          .split("/")
          .slice(0, specifier.startsWith("@") ? 2 : 1)
          .join("/");
        target = byName.get(name);
      }
      if (target && shipped && devOnly.includes(topFolder(root, target))) {
        violations.push({
          file: relative(root, file),
          specifier,
          rule: `production code imports a dev tool (${topFolder(root, target)}/)`,
        });
      }
    }
  }
  return violations;
}
