import { expect, test } from "bun:test";
import { pumpLines } from "../src/index.ts";

const streamOf = (chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

test("lines split across chunks arrive whole; empty lines are skipped; the unterminated last line too", async () => {
  const bytes = new TextEncoder().encode("first\nsec");
  const rest = new TextEncoder().encode("ond\n\nthird");
  const lines: string[] = [];
  await pumpLines(streamOf([bytes, rest]), (line) => lines.push(line));
  expect(lines).toEqual(["first", "second", "third"]);
});

test("a character split between chunks is decoded once, not as two broken halves", async () => {
  const euro = new TextEncoder().encode("price 5€\n");
  const cut = euro.length - 2;
  const lines: string[] = [];
  await pumpLines(streamOf([euro.slice(0, cut), euro.slice(cut)]), (line) => lines.push(line));
  expect(lines).toEqual(["price 5€"]);
});
