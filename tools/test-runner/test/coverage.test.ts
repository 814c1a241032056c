import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkCoverage, parseLcov } from "../src/coverage.ts";

const dir = mkdtempSync(join(tmpdir(), "lcov-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lcov = (records: [string, number, number][]) =>
  records.map(([f, lf, lh]) => `TN:\nSF:${f}\nLF:${lf}\nLH:${lh}\nend_of_record`).join("\n");

test("parses files with found and hit lines", () => {
  expect(parseLcov(lcov([["apps/a.ts", 10, 7]]))).toEqual([{ file: "apps/a.ts", found: 10, hit: 7 }]);
});

test("passes at the threshold and ignores other folders and test files", () => {
  const path = join(dir, "ok.info");
  writeFileSync(
    path,
    lcov([
      ["apps/a.ts", 10, 8],
      ["ops-cli/x.ts", 10, 0],
      ["apps/x/test/h.ts", 10, 0],
    ]),
  );
  expect(checkCoverage(path, ["apps/", "packages/"], 80).ok).toBe(true);
});

test("fails under the threshold and names the files below it", () => {
  const path = join(dir, "low.info");
  writeFileSync(
    path,
    lcov([
      ["apps/a.ts", 10, 9],
      ["packages/b.ts", 10, 5],
    ]),
  );
  const result = checkCoverage(path, ["apps/", "packages/"], 80);
  expect(result.ok).toBe(false);
  expect(result.report).toContain("packages/b.ts");
  expect(result.report).not.toContain("apps/a.ts");
});

test("a missing report fails", () => {
  expect(checkCoverage(join(dir, "none.info"), ["apps/"], 80).ok).toBe(false);
});
