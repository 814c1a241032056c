import { existsSync, type FSWatcher, watch } from "node:fs";
import { join } from "node:path";

const sourceFile = /\.(ts|json)$/;

/**
 * Calls `onChange` once per burst of changes under any of the directories, naming the first file
 * of the burst. Editors write several events per save (a temp file, a rename over the original), so
 * a burst ends `debounceMs` after its last event, but at the latest `maxDelayMs` after its first:
 * a tree that never falls quiet (a formatter, a checkout) still restarts. Only TypeScript and JSON
 * files count. An event without a file name (fs.watch does not promise one; the kernel drops names
 * when its queue overflows or the directory itself goes) counts as a change of that directory,
 * since a save may hide in it.
 */
export function watchSources(
  dirs: string[],
  debounceMs: number,
  onChange: (file: string) => void,
  maxDelayMs = debounceMs * 10,
): () => void {
  let timer: Timer | undefined;
  let burstStart = 0;
  let first: string | undefined;
  const fire = () => {
    const file = first!;
    first = undefined;
    timer = undefined;
    onChange(file);
  };
  const noticed = (file: string) => {
    const now = Date.now();
    if (first === undefined) {
      first = file;
      burstStart = now;
    }
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, burstStart + maxDelayMs - now)));
  };

  const watchers: FSWatcher[] = [];
  for (const dir of new Set(dirs)) {
    if (!existsSync(dir)) continue;
    watchers.push(
      watch(dir, { recursive: true }, (_event, file) => {
        if (file === null || file === undefined) return noticed(dir);
        const name = String(file);
        if (sourceFile.test(name)) noticed(join(dir, name));
      }),
    );
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
