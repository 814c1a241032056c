import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pumpLines } from "@ecom/stream-lines";
import { ProcessStartError, type SpawnOptions, spawnProcess } from "../src/spawn-process.ts";

const dir = mkdtempSync(join(tmpdir(), "ecom-spawn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a script for the child to run. */
function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Answers 503 to its first two requests, then 200; says so for each, and "bye" on SIGTERM. */
const server = script(
  "server.ts",
  `let asked = 0;
console.log("starting " + process.env.GREETING);
console.error("on stderr");
process.on("SIGTERM", () => { console.log("bye"); process.exit(0); });
Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT),
  fetch: () => {
    const status = ++asked <= 2 ? 503 : 200;
    console.log("answered " + status);
    return new Response(null, { status });
  },
});
`,
);
const crashing = script("crash.ts", `console.log("cannot start: no database"); process.exit(3);`);
const silent = script("silent.ts", `setInterval(() => {}, 1000);`);

function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

const base = (entry: string): SpawnOptions => ({
  entry,
  env: { PATH: process.env.PATH, GREETING: "hello" },
  port: freePort(),
  readyPath: "/ready",
  output: { lines: {} },
});

describe("spawnProcess", () => {
  test("ready once the path answers 200, with the time it took; stop returns the exit code after the last line", async () => {
    const seen: string[] = [];
    const child = spawnProcess({ ...base(server), output: { lines: { onLine: (line) => seen.push(line) } } });
    expect(await child.ready).toBeGreaterThan(0);
    expect(child.lines().filter((l) => l.startsWith("answered"))).toEqual([
      "answered 503",
      "answered 503",
      "answered 200",
    ]);
    expect(child.lines()).toEqual(expect.arrayContaining(["starting hello", "on stderr"]));
    expect(await child.stop()).toBe(0);
    expect(child.lines().at(-1)).toBe("bye");
    expect(seen).toEqual(child.lines());
  });

  test("an exit before ready rejects at once with the output, though no bound was given", async () => {
    const child = spawnProcess(base(crashing));
    const error = await child.ready.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessStartError);
    expect((error as ProcessStartError).reason).toBe("exited");
    expect((error as Error).message).toContain("exited with 3 before /ready answered 200");
    expect((error as Error).message).toContain("cannot start: no database");
  });

  test("keep bounds the lines kept; onLine still sees every one", async () => {
    const seen: string[] = [];
    const child = spawnProcess({
      ...base(server),
      output: { lines: { onLine: (line) => seen.push(line), keep: 1 } },
    });
    await child.ready;
    await child.stop();
    expect(seen).toEqual(expect.arrayContaining(["starting hello", "on stderr", "bye"]));
    expect(child.lines()).toEqual(["bye"]);
  });

  test("file output: stdout and stderr in their files, and a failure quotes their tails", async () => {
    const logFile = join(dir, "server.log");
    const ok = spawnProcess({ ...base(server), output: { file: logFile } });
    await ok.ready;
    expect(await ok.stop("SIGTERM")).toBe(0);
    expect(readFileSync(logFile, "utf8")).toBe(
      "starting hello\nanswered 503\nanswered 503\nanswered 200\nbye\n",
    );
    expect(readFileSync(`${logFile}.err`, "utf8")).toBe("on stderr\n");

    const crashLog = join(dir, "crash.log");
    const failed = spawnProcess({ ...base(crashing), output: { file: crashLog }, name: "crasher" });
    const error = (await failed.ready.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("crasher exited with 3");
    expect(error.message).toContain(`${crashLog}:\ncannot start: no database`);
  });

  test("bun flags come before the entry", async () => {
    const preload = script("preload.ts", `console.log("preloaded");`);
    const child = spawnProcess({ ...base(server), bunFlags: ["--preload", preload] });
    await child.ready;
    await child.stop();
    const lines = child.lines();
    expect(lines.indexOf("preloaded")).toBeGreaterThan(-1);
    expect(lines.indexOf("preloaded")).toBeLessThan(lines.indexOf("starting hello"));
  });

  test("a process still not ready at the hang bound is killed and reported as hung", async () => {
    const child = spawnProcess({ ...base(silent), hangBoundMs: 300 });
    const error = (await child.ready.catch((e: unknown) => e)) as ProcessStartError;
    expect(error.reason).toBe("hung");
    expect(error.message).toContain("/ready did not answer 200 within 300 ms");
    expect(child.proc.signalCode).toBe("SIGKILL");
  });

  test("stop with killAfterMs kills a process that ignores the signal", async () => {
    const stubborn = script(
      "stubborn.ts",
      `process.on("SIGTERM", () => console.log("ignoring"));
Bun.serve({ hostname: "127.0.0.1", port: Number(process.env.PORT), fetch: () => new Response() });`,
    );
    const child = spawnProcess(base(stubborn));
    await child.ready;
    await child.stop("SIGTERM", 200);
    expect(child.proc.signalCode).toBe("SIGKILL");
    expect(child.lines()).toContain("ignoring");
  });

  test("the child is killed when the parent exits", async () => {
    const parent = script(
      "parent.ts",
      `import { spawnProcess } from ${JSON.stringify(join(import.meta.dir, "..", "src", "spawn-process.ts"))};
const child = spawnProcess({ entry: ${JSON.stringify(silent)}, env: {}, port: 1, readyPath: "/", output: { lines: {} } });
console.log(child.proc.pid);
process.exit(0);`,
    );
    const proc = Bun.spawn([process.execPath, parent], { stdout: "pipe" });
    const pids: string[] = [];
    await pumpLines(proc.stdout, (line) => pids.push(line));
    expect(await proc.exited).toBe(0);
    const pid = Number(pids[0]);
    // SIGKILL was sent before the parent was gone, so the orphan dies; this waits for the kernel to
    // say so (gone, or a zombie awaiting its new parent), and times out if it lives on.
    const dead = () =>
      !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
    while (!dead()) await Bun.sleep(5);
  });
});
