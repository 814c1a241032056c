/** `bun run lint` step: fails with one line per import that breaks the workspace rules. */
import { join } from "node:path";
import { checkImports } from "./check-imports.ts";

const root = process.argv[2] ?? join(import.meta.dir, "..", "..", "..");
const violations = checkImports(root);
for (const v of violations) console.error(`${v.file}: "${v.specifier}": ${v.rule}`);
if (violations.length > 0) {
  console.error(`${violations.length} import(s) break the workspace rules (see docs/architecture.md)`);
  process.exit(1);
}
console.log("imports: no production code reaches a dev tool, no relative import leaves its workspace");
