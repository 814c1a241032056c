import { describe, expect, test } from "bun:test";
import { median, percentile, summarize } from "../src/stats/percentiles.ts";

describe("percentile", () => {
  test("nearest rank over sorted values", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  test("one value is every percentile; none is NaN", () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("summarize", () => {
  test("sorts before ranking and reports mean and max", () => {
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s).toEqual({ count: 5, mean: 3, p50: 3, p95: 5, p99: 5, max: 5 });
  });

  test("empty input gives NaN figures and a zero count", () => {
    const s = summarize(new Float64Array(0));
    expect(s.count).toBe(0);
    expect(s.p99).toBeNaN();
  });
});

test("median of repeated runs ignores order and averages the middle two of an even count", () => {
  expect(median([300, 100, 200])).toBe(200);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([])).toBeNaN();
});
