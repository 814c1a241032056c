import { pumpLines } from "@ecom/stream-lines";
import { ensureMongoServerJar, requireJava } from "./jar.ts";

export type MongoServerOptions = {
  /** Directory for the H2 data file; data survives restarts. Ignored when `memory` is true. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; 0 or unset picks a free one. */
  port?: number;
  /** Keep everything in memory (tests); the default when no dataDir is given. */
  memory?: boolean;
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number;
  /**
   * `quick` (default) compiles with the JVM's first tier only: a test database starts and warms up
   * sooner. `peak` lets the optimizing compiler in: slower for the first seconds, then about a tenth
   * less CPU per command, which is what a long-running server wants (dev, the service's fallback,
   * benchmarks).
   */
  jit?: "quick" | "peak";
  /** Writes a Java Flight Recording of the whole run to this file (read it with `jfr print`). */
  flightRecording?: string;
};

export type MongoServerProcess = {
  /** `mongodb://127.0.0.1:PORT/`; append the database name. */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, so H2 commits and closes its file) and waits for it to exit. */
  stop(): Promise<void>;
};

/** A small heap: even a benchmark's catalog and reservations fit in a few hundred MB. */
const heapFlags = ["-XX:+UseSerialGC", "-Xms32m", "-Xmx512m"];

function jvmFlags(options: MongoServerOptions): string[] {
  return [
    ...heapFlags,
    ...(options.jit === "peak" ? [] : ["-XX:TieredStopAtLevel=1"]),
    ...(options.flightRecording
      ? [`-XX:StartFlightRecording=filename=${options.flightRecording},settings=profile`]
      : []),
  ];
}
const stopTimeoutMs = 10_000;
/** Enough of the server's output to explain a failed start. */
const keptOutputChars = 8_000;

/**
 * Starts the embedded MongoDB-wire-compatible server (mongo-java-server, see README.md) as a child
 * `java` process and resolves once it accepts connections.
 */
export async function startMongoServer(options: MongoServerOptions = {}): Promise<MongoServerProcess> {
  const jar = await ensureMongoServerJar();
  const memory = options.memory ?? !options.dataDir;
  const storage = memory ? ["--memory"] : ["--data", options.dataDir!];
  const proc = Bun.spawn(
    [
      requireJava(),
      ...jvmFlags(options),
      "-jar",
      jar,
      "--host",
      "127.0.0.1",
      "--port",
      String(options.port ?? 0),
      ...storage,
      "--exit-with-stdin",
    ],
    // stdin stays open while we live; the server exits when it closes (see Main.java).
    { stdin: "pipe", stdout: "pipe", stderr: "pipe" },
  );
  const output = { text: "" };
  const keep = (line: string) => {
    output.text = `${output.text}${line}\n`.slice(-keptOutputChars);
  };
  const { promise: listening, resolve } = Promise.withResolvers<number>();
  void pumpLines(proc.stdout, (line) => {
    keep(line);
    const match = /^listening [^\s:]+:(\d+)$/.exec(line.trim());
    if (match) resolve(Number(match[1]));
  });
  void pumpLines(proc.stderr, keep);

  const killOnExit = () => proc.kill("SIGTERM");
  process.once("exit", killOnExit);

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let timer: Timer | undefined;
  const failed = (reason: string) => new Error(`mongo-server ${reason}; its output:\n${output.text}`);
  const port = await Promise.race([
    listening,
    proc.exited.then(async (code) => {
      await Bun.sleep(50); // let the pumps take in the last output
      throw failed(`exited with code ${code} before listening`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(failed(`did not start within ${timeoutMs} ms`)), timeoutMs);
    }),
  ])
    .catch((error: unknown) => {
      proc.kill("SIGKILL");
      process.off("exit", killOnExit);
      throw error;
    })
    .finally(() => clearTimeout(timer));

  return {
    url: `mongodb://127.0.0.1:${port}/`,
    port,
    stop: async () => {
      process.off("exit", killOnExit);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const forced = setTimeout(() => proc.kill("SIGKILL"), stopTimeoutMs);
      await proc.exited;
      clearTimeout(forced);
    },
  };
}
