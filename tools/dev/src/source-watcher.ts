import { existsSync, type FSWatcher, watch } from "node:fs";

/**
 * Calls `onChange` once per burst of changes under any of the directories (editors write several
 * events per save). Only TypeScript and JSON files count.
 */
export function watchSources(
  dirs: string[],
  debounceMs: number,
  onChange: (file: string) => void,
): () => void {
  let timer: Timer | undefined;
  let last = "";
  const watchers: FSWatcher[] = [];
  for (const dir of new Set(dirs)) {
    if (!existsSync(dir)) continue;
    watchers.push(
      watch(dir, { recursive: true }, (_event, file) => {
        const name = String(file ?? "");
        if (!/\.(ts|json)$/.test(name)) return;
        last = `${dir}/${name}`;
        clearTimeout(timer);
        timer = setTimeout(() => onChange(last), debounceMs);
      }),
    );
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
