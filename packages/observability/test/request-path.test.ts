import { expect, test } from "bun:test";
import { requestPath } from "../src/index.ts";

test("path without query, for well-formed and hostile URLs", () => {
  expect(requestPath("http://localhost:3001/api/users/me?x=1")).toBe("/api/users/me");
  expect(requestPath("http://undefined:undefined/health/live")).toBe("/health/live");
  expect(requestPath("http://host")).toBe("/");
  expect(requestPath("/relative/path?q")).toBe("/relative/path");
});
