import { describe, expect, test } from "bun:test";
import { AppError } from "@ecom/errors";
import { checkJsonShape, defaultRequestLimits, inspectRequest, isValidHost } from "../src/index.ts";

const limits = { ...defaultRequestLimits, maxBodyBytes: 64 * 1024 };

async function refusal(request: Request): Promise<{ status: number; message: string } | undefined> {
  try {
    await inspectRequest(request, limits);
    return undefined;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, message: error.message };
  }
}

const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://localhost/api/x", { method: "POST", body, headers });

describe("bodies", () => {
  test("a plain JSON body passes and is handed back as bytes", async () => {
    const inspected = await inspectRequest(post('{"a":["b",{"c":1}]}'), limits);
    expect(new TextDecoder().decode(inspected.body)).toBe('{"a":["b",{"c":1}]}');
  });

  test("nesting past the limit is a 400 in well under a millisecond per kilobyte", async () => {
    const bomb = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const started = performance.now();
    expect(() => checkJsonShape(bomb, limits)).toThrow("nests deeper than 32");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(checkJsonShape(`${"[".repeat(32)}${"]".repeat(32)}`, limits)).toBeUndefined();
  });

  test("too many values is a 400", () => {
    expect(() => checkJsonShape(`[${"0,".repeat(20_000)}0]`, limits)).toThrow("more than 10000 values");
  });

  test("NUL and lone surrogates in any string, keys included, are a 400", async () => {
    for (const body of [
      '{"a":"x\\u0000"}',
      '{"\\u0000":1}',
      '["\\ud800"]',
      '["\\udc00x"]',
      '["\\ud800\\u0041"]',
    ]) {
      expect((await refusal(post(body)))?.message).toContain("NUL character or invalid Unicode");
    }
    expect(await refusal(post('["\\ud83d\\ude00", "\\\\u0000 is text here"]'))).toBeUndefined();
  });

  test("bytes that are not UTF-8 are a 400", async () => {
    const body = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    expect(await refusal(post(body))).toEqual({ status: 400, message: "Request body is not valid UTF-8" });
  });

  test("a declared length over the limit is a 413 before anything is read", async () => {
    const request = post("{}", { "content-type": "application/json", "content-length": String(1 << 20) });
    expect((await refusal(request))?.status).toBe(413);
  });

  test("a streamed body is cut off at the limit with a 413", async () => {
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(chunk);
        if (sent === 100) controller.close();
      },
    });
    expect((await refusal(post(stream)))?.status).toBe(413);
    expect(sent).toBeLessThan(100);
  });

  test("a body that is not JSON is a 400; an empty one is left to the route", async () => {
    expect(
      (await refusal(post("a=b", { "content-type": "application/x-www-form-urlencoded" })))?.message,
    ).toBe("Request body must be application/json");
    expect(await refusal(post(""))).toBeUndefined();
    expect(
      await refusal(post("{}", { "content-type": "application/merge-patch+json; charset=utf-8" })),
    ).toBeUndefined();
  });
});

describe("URLs and headers", () => {
  test("NUL, malformed escapes and non-UTF-8 bytes in the path or query are a 400", async () => {
    for (const path of [
      "/api/x?q=%00",
      "/api/x?q=%ZZ",
      "/api/x?q=%FF",
      "/api/x/%00",
      "/api/x?%00=1",
      "/api/x?q=%ED%A0%80",
    ]) {
      expect((await refusal(new Request(`http://localhost${path}`)))?.status).toBe(400);
    }
    expect(await refusal(new Request("http://localhost/api/x?q=caf%C3%A9+au+lait&tags=a,b"))).toBeUndefined();
  });

  test("more query parameters than the limit is a 400", async () => {
    const query = Array.from({ length: 65 }, (_, i) => `p${i}=1`).join("&");
    expect((await refusal(new Request(`http://localhost/api/x?${query}`)))?.message).toContain(
      "more than 64",
    );
  });

  test("Host must be a valid authority", () => {
    for (const good of [
      "localhost",
      "localhost:8080",
      "api.example.com",
      "127.0.0.1:3001",
      "[::1]:3001",
      "[::1]",
    ]) {
      expect(isValidHost(good)).toBe(true);
    }
    for (const bad of ["", "a b", "[", "a:b:c", "%", "undefined:undefined", "a:99999", "user@host", null]) {
      expect(isValidHost(bad)).toBe(false);
    }
  });
});
