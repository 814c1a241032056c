import { describe, expect, test } from "bun:test";
import { formatLine, styleFor } from "../src/log-printer.ts";

const line = JSON.stringify({
  "@timestamp": "2026-01-02T03:04:05.678Z",
  "log.level": "warn",
  message: "POST /api/orders 400",
  "service.name": "order-service",
  "trace.id": "rid-1",
});

describe("log lines", () => {
  test("piped: the JSON line untouched behind a plain [label]", () => {
    const style = styleFor({ isTTY: false }, {});
    expect(formatLine("order", line, style)).toBe(`[order]   ${line}`);
  });

  test("in a terminal: time, level, message and request id behind a coloured label", () => {
    const out = formatLine("order", line, styleFor({ isTTY: true }, {}));
    expect(out).toStartWith("\x1b[33m[order]  ");
    const plain = out.replaceAll(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g"), "");
    expect(plain).toBe("[order]   03:04:05 WARN  POST /api/orders 400  rid=rid-1");
  });

  test("NO_COLOR keeps the pretty layout without colours; non-JSON lines pass as they are", () => {
    const style = styleFor({ isTTY: true }, { NO_COLOR: "1" });
    expect(formatLine("user", line, style)).toBe("[user]    03:04:05 WARN  POST /api/orders 400  rid=rid-1");
    expect(formatLine("user", "Invalid environment variable PORT", style)).toBe(
      "[user]    Invalid environment variable PORT",
    );
  });
});
