import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkImports } from "../src/check-imports.ts";

const root = mkdtempSync(join(tmpdir(), "import-graph-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const pkg = (dir: string, name: string) => write(`${dir}/package.json`, JSON.stringify({ name }));

// A small repository with the same layout as this one.
write("package.json", JSON.stringify({ workspaces: ["apps/*", "packages/*", "tools/*", "bench", "e2e"] }));
pkg("apps/shop", "@x/shop");
pkg("packages/kit", "@x/kit");
pkg("tools/fake-db", "@x/fake-db");
pkg("bench", "@x/bench");
pkg("e2e", "@x/e2e");
write("packages/kit/src/index.ts", "export const kit = 1;\n");
write("tools/fake-db/src/index.ts", "export const start = () => {};\n");

describe("workspace import rules", () => {
  test("a clean tree passes", () => {
    write("apps/shop/src/index.ts", 'import { kit } from "@x/kit";\nimport { local } from "./local.ts";\n');
    write("apps/shop/src/local.ts", "export const local = 1;\n");
    write("tools/fake-db/src/use.ts", 'import { kit } from "@x/kit";\n');
    expect(checkImports(root)).toEqual([]);
  });

  test("production code reaching a dev tool by name, by path, or by a type-only import is refused", () => {
    write("apps/shop/src/db.ts", 'import { start } from "@x/fake-db";\n');
    write("packages/kit/src/bench.ts", 'export { run } from "../../../bench/run.ts";\n');
    write("packages/kit/src/types.ts", 'import type { Fixture } from "@x/e2e/support/fixture";\n');
    const found = checkImports(root);
    expect(found).toContainEqual({
      file: "apps/shop/src/db.ts",
      specifier: "@x/fake-db",
      rule: "production code imports a dev tool (tools/)",
    });
    expect(found.filter((v) => v.file === "packages/kit/src/bench.ts").map((v) => v.rule)).toEqual([
      "relative import leaves its workspace; import the package by name",
      "production code imports a dev tool (bench/)",
    ]);
    expect(found).toContainEqual({
      file: "packages/kit/src/types.ts",
      specifier: "@x/e2e/support/fixture",
      rule: "production code imports a dev tool (e2e/)",
    });
    for (const file of ["apps/shop/src/db.ts", "packages/kit/src/bench.ts", "packages/kit/src/types.ts"])
      rmSync(join(root, file));
  });

  test("a relative import into another workspace is refused even between dev tools", () => {
    write("bench/src/run.ts", 'import { start } from "../../tools/fake-db/src/index.ts";\n');
    expect(checkImports(root)).toEqual([
      {
        file: "bench/src/run.ts",
        specifier: "../../tools/fake-db/src/index.ts",
        rule: "relative import leaves its workspace; import the package by name",
      },
    ]);
  });
});
