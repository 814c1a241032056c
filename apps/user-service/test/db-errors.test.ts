import { describe, expect, test } from "bun:test";
import { DependencyUnavailableError } from "@ecom/errors";
import { usersDb } from "../src/repository/tables.ts";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("usersDb.translate", () => {
  test.each([
    ["refused connection", withCode("ECONNREFUSED")],
    ["server shutting down", withCode("57P01", "terminating connection due to administrator command")],
    ["connection failure", withCode("08006")],
    ["lost connection", new Error("Connection terminated unexpectedly")],
    ["pool connect timeout", new Error("timeout exceeded when trying to connect")],
  ])("%s becomes a 503", (_, error) => {
    expect(usersDb.translate(error)).toBeInstanceOf(DependencyUnavailableError);
  });

  test.each([
    ["unique violation", withCode("23505")],
    ["bad input syntax", withCode("22P02")],
    ["plain error", new Error("boom")],
    ["non-error", "a string"],
    ["nothing", undefined],
  ])("%s keeps its meaning", (_, error) => {
    expect(usersDb.translate(error)).toBe(error);
  });
});
