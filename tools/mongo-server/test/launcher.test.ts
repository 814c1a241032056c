import { expect, test } from "bun:test";
import { join } from "node:path";
import { startMongoServer } from "../src/index.ts";

async function accepts(port: number): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

async function waitUntilClosed(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await accepts(port))) return true;
    await Bun.sleep(100);
  }
  return false;
}

test("reports a free port and a URL, and stop() closes it", async () => {
  const server = await startMongoServer({ memory: true });
  expect(server.url).toBe(`mongodb://127.0.0.1:${server.port}/`);
  expect(await accepts(server.port)).toBe(true);
  await server.stop();
  expect(await accepts(server.port)).toBe(false);
  await server.stop(); // a second stop is harmless
});

test("a port already in use fails fast with the server's own explanation", async () => {
  const first = await startMongoServer({ memory: true });
  try {
    const started = Date.now();
    const error = await startMongoServer({ memory: true, port: first.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("exited with code 1 before listening");
    expect((error as Error).message).toContain("Address already in use");
    expect(Date.now() - started).toBeLessThan(15_000);
  } finally {
    await first.stop();
  }
});

test("the server exits when the process that launched it is killed outright", async () => {
  const holder = Bun.spawn(["bun", join(import.meta.dir, "fixtures", "hold-server.ts")], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = holder.stdout.getReader();
  const { value } = await reader.read();
  const port = Number(/port (\d+)/.exec(new TextDecoder().decode(value))?.[1]);
  expect(await accepts(port)).toBe(true);

  holder.kill("SIGKILL"); // no exit handlers run; only the closed stdin tells the server
  await holder.exited;
  expect(await waitUntilClosed(port, 10_000)).toBe(true);
});
