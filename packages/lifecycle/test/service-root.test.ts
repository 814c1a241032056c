import { describe, expect, test } from "bun:test";
import { createLogger } from "@ecom/observability";
import { Elysia } from "elysia";
import { elysiaServiceRoot, urlHost } from "../src/index.ts";

const logger = createLogger({ service: "test", sink: () => {} });

describe("elysiaServiceRoot", () => {
  test("start listens on a free port and then starts the background work; stop drains, stops it, closes", async () => {
    const events: string[] = [];
    const root = elysiaServiceRoot({
      app: new Elysia().get("/", () => "ok"),
      logger,
      hostname: "127.0.0.1",
      port: 0,
      background: () => {
        events.push("background started");
        return { stop: async () => void events.push("background stopped") };
      },
      close: async () => void events.push("closed"),
    });
    expect(events).toEqual([]);
    const { port, url } = await root.start();
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(url)).text()).toBe("ok");
    expect(events).toEqual(["background started"]);
    await Promise.all([root.stop(), root.stop()]);
    expect(events).toEqual(["background started", "background stopped", "closed"]);
    await expect(fetch(url)).rejects.toThrow();
  });

  test("stop without start only closes the resources", async () => {
    const events: string[] = [];
    const root = elysiaServiceRoot({
      app: new Elysia(),
      logger,
      hostname: "127.0.0.1",
      port: 0,
      close: async () => void events.push("closed"),
    });
    await root.stop();
    expect(events).toEqual(["closed"]);
  });

  test("a wildcard listener is reached on loopback", () => {
    expect(urlHost("0.0.0.0")).toBe("127.0.0.1");
    expect(urlHost("::")).toBe("[::1]");
    expect(urlHost("::1")).toBe("[::1]");
    expect(urlHost("10.1.2.3")).toBe("10.1.2.3");
  });
});
