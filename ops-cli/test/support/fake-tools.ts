import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeConfig } from "./fake-tool.ts";

export interface Call {
  tool: string;
  argv: string[];
}

export interface FakeTools {
  dir: string;
  /** Environment for the CLI: fakes first on PATH, plus where they log and find their rules. */
  env: Record<string, string>;
  configure(config: FakeConfig): void;
  calls(tool?: string): Call[];
  /** Copies of the manifests `kubectl apply -f` received, in order. */
  applied(): string[];
  cleanup(): void;
}

const script = join(import.meta.dir, "fake-tool.ts");

/** Puts recording fakes for `tools` first on PATH; everything else still resolves to the real thing. */
export function createFakeTools(tools: string[]): FakeTools {
  const dir = mkdtempSync(join(tmpdir(), "ecom-fakes-"));
  const bin = join(dir, "bin");
  const state = join(dir, "state");
  mkdirSync(bin);
  mkdirSync(state);
  const realKubectl = Bun.which("kubectl") ?? "kubectl";
  for (const tool of tools) {
    const path = join(bin, tool);
    writeFileSync(path, `#!/bin/sh\nexec '${process.execPath}' '${script}' '${tool}' "$@"\n`);
    chmodSync(path, 0o755);
  }
  const log = join(dir, "calls.jsonl");
  const configPath = join(dir, "config.json");
  writeFileSync(log, "");
  writeFileSync(configPath, JSON.stringify({ rules: [] }));
  return {
    dir,
    env: {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      FAKE_LOG: log,
      FAKE_CONFIG: configPath,
      FAKE_STATE_DIR: state,
      FAKE_REAL_KUBECTL: realKubectl,
    },
    configure(config) {
      writeFileSync(configPath, JSON.stringify(config));
    },
    calls(tool) {
      return readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Call)
        .filter((call) => tool === undefined || call.tool === tool);
    },
    applied() {
      const files = new Bun.Glob("applied-*.yaml").scanSync(state);
      return [...files]
        .sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]))
        .map((f) => readFileSync(join(state, f), "utf8"));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
