import { describe, expect, test } from "bun:test";
import { createLogger } from "@ecom/observability";
import { Elysia } from "elysia";
import { elysiaServiceRoot, fetchServiceRoot, urlHost } from "../src/index.ts";

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

describe("fetchServiceRoot", () => {
  test("start listens on a free port with the given settings; handle answers in-process, with no peer", async () => {
    const root = fetchServiceRoot({
      fetch: async (request, server) => {
        if (new URL(request.url).pathname === "/fail") throw new Error("boom");
        return new Response(server.requestIP(request)?.address ?? "no peer");
      },
      logger,
      hostname: "127.0.0.1",
      port: 0,
      serve: { development: false, error: () => new Response("handled", { status: 500 }) },
    });
    const { port, url } = await root.start();
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(url)).text()).toBe("127.0.0.1");
    const failed = await fetch(`${url}/fail`);
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe("handled");
    expect(await (await root.app.handle(new Request("http://localhost/"))).text()).toBe("no peer");
    await root.stop();
  });

  test("stop lets an in-flight request finish, then stops listening; safe to call twice", async () => {
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const root = fetchServiceRoot({
      fetch: async () => {
        entered();
        await released;
        return new Response("done");
      },
      logger,
      hostname: "127.0.0.1",
      port: 0,
      serve: {},
    });
    const { url } = await root.start();
    const answer = fetch(url);
    await inFlight;
    const stopping = Promise.all([root.stop(), root.stop()]);
    release();
    expect(await (await answer).text()).toBe("done");
    await stopping;
    await expect(fetch(url)).rejects.toThrow();
  });

  test("stop without start does nothing", async () => {
    const root = fetchServiceRoot({
      fetch: async () => new Response(),
      logger,
      hostname: "127.0.0.1",
      port: 0,
      serve: {},
    });
    expect(await root.stop()).toBeUndefined();
  });
});
