import { afterEach, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchSources } from "../src/source-watcher.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A watched throwaway tree whose calls can be awaited one by one. */
function watchedTree(debounceMs: number, maxDelayMs?: number) {
  const dir = mkdtempSync(join(tmpdir(), "ecom-watch-"));
  mkdirSync(join(dir, "routes"));
  const calls: string[] = [];
  const waiting: (() => void)[] = [];
  const stop = watchSources(
    [dir, join(dir, "missing")],
    debounceMs,
    (file) => {
      calls.push(file);
      for (const wake of waiting.splice(0)) wake();
    },
    maxDelayMs,
  );
  cleanups.push(() => {
    stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const callNumber = async (n: number) => {
    while (calls.length < n) await new Promise<void>((wake) => waiting.push(wake));
  };
  return { dir, calls, callNumber };
}

test("one save, written in place or renamed over the original, is one call naming the file", async () => {
  // Generous debounce: a busy machine may pause this writer between the events of one save.
  const tree = watchedTree(500);
  const file = join(tree.dir, "routes", "orders.ts");
  writeFileSync(join(tree.dir, "notes.txt"), "ignored");
  for (let i = 0; i < 3; i++) writeFileSync(file, `export const v = ${i};`);
  // An editor's atomic save: the new text goes to a temp file that then replaces the original.
  writeFileSync(join(tree.dir, "routes", ".orders.ts.swp"), "export const v = 3;");
  renameSync(join(tree.dir, "routes", ".orders.ts.swp"), file);
  await tree.callNumber(1);
  // A later save is seen after every event of the first burst, so a stray second call would come first.
  const marker = join(tree.dir, "marker.json");
  writeFileSync(marker, "{}");
  await tree.callNumber(2);
  expect(tree.calls).toEqual([file, marker]);
});

test("saves that never pause still give a call, at the latest maxDelayMs after the first", async () => {
  const tree = watchedTree(200, 600);
  const file = join(tree.dir, "routes", "busy.ts");
  let writes = 0;
  // Bounded: a save every 50 ms, at most 80 of them.
  while (tree.calls.length === 0 && writes < 80) {
    writeFileSync(file, `export const v = ${writes++};`);
    await Bun.sleep(50);
  }
  expect(tree.calls).toEqual([file]);
});
