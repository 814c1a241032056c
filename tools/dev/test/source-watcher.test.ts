import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchSources } from "../src/source-watcher.ts";

test("a burst of saves under a watched directory triggers one restart; other files do not", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ecom-watch-"));
  mkdirSync(join(dir, "routes"));
  const changes: string[] = [];
  const stop = watchSources([dir, join(dir, "missing")], 150, (file) => changes.push(file));
  try {
    writeFileSync(join(dir, "notes.txt"), "ignored");
    await Bun.sleep(300);
    expect(changes).toEqual([]);
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, "routes", "orders.ts"), `export const v = ${i};`);
    await Bun.sleep(400);
    expect(changes).toEqual([join(dir, "routes", "orders.ts")]);
  } finally {
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
