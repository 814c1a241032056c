import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./kustomize.ts";

export type Instruction = { keyword: string; args: string };
export type Stage = { image: string; name?: string; instructions: Instruction[] };

/** Splits a Dockerfile into stages of instructions (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const [image = "", as, name] = rest;
      stages.push({ image, ...(as?.toUpperCase() === "AS" && name ? { name } : {}), instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${keyword} before the first FROM`);
      stage.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

export function readServiceDockerfile(service: string): Stage[] {
  return parseDockerfile(readFileSync(join(repoRoot, "apps", service, "Dockerfile"), "utf8"));
}

/** The `bun build` command the image's build stage runs, as an argument list. */
export function bundleCommand(stages: Stage[]): string[] {
  const run = stages
    .find((s) => s.name === "build")
    ?.instructions.find((i) => i.keyword === "RUN" && i.args.startsWith("bun build "));
  if (!run) throw new Error("no `RUN bun build` in the build stage");
  return run.args.split(/\s+/);
}
