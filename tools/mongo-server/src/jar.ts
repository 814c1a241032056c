import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const projectDir = join(import.meta.dir, "..");
/** The shaded jar Maven builds (target/ is git-ignored). */
export const mongoServerJarPath = join(projectDir, "target", "mongo-server.jar");
const lockDir = join(projectDir, "target", ".build-lock");
/** A lock older than any real build belongs to a build that died. */
const staleLockMs = 10 * 60_000;

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function jarIsFresh(): boolean {
  if (!existsSync(mongoServerJarPath)) return false;
  const sources = Math.max(
    statSync(join(projectDir, "pom.xml")).mtimeMs,
    newestSourceMtime(join(projectDir, "src", "main", "java")),
  );
  return statSync(mongoServerJarPath).mtimeMs >= sources;
}

export function requireJava(): string {
  const java = Bun.which("java");
  if (!java)
    throw new Error("`java` not found on PATH; install Java 17 (Debian package openjdk-17-jre-headless)");
  return java;
}

function requireBuildTools(): string {
  if (!Bun.which("javac")) {
    throw new Error("`javac` not found on PATH; install a JDK 17 (Debian package openjdk-17-jdk-headless)");
  }
  const mvn = Bun.which("mvn");
  if (!mvn) throw new Error("`mvn` not found on PATH; install Maven (Debian package maven)");
  return mvn;
}

/** mkdir is atomic, so it serialises builds started by several test processes at once. */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(join(projectDir, "target"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      const lock = statSync(lockDir, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > staleLockMs) rmSync(lockDir, { recursive: true, force: true });
      await Bun.sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

async function build(): Promise<void> {
  const mvn = requireBuildTools();
  const proc = Bun.spawn([mvn, "-q", "-B", "package", "-DskipTests"], {
    cwd: projectDir,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0 || !existsSync(mongoServerJarPath)) {
    throw new Error(`building the mongo-server jar failed (mvn exit ${code}):\n${out}${err}`);
  }
}

let pending: Promise<string> | undefined;

/**
 * Returns the runnable jar, building it with Maven when it is missing or older than pom.xml or a
 * Java source. Maven's local repository caches the dependencies, so only the first build downloads.
 */
export function ensureMongoServerJar(): Promise<string> {
  pending ??= (async () => {
    requireJava();
    if (!jarIsFresh()) {
      await withBuildLock(async () => {
        // Another process may have finished the build while we waited for the lock.
        if (!jarIsFresh()) await build();
      });
    }
    return mongoServerJarPath;
  })().finally(() => {
    pending = undefined;
  });
  return pending;
}
