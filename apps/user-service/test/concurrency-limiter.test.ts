import { describe, expect, test } from "bun:test";
import { createConcurrencyLimiter, LimiterFullError } from "../src/security/concurrency-limiter.ts";

/** Something a task can wait on until the test calls `finish()`. */
function gate() {
  const { promise, resolve } = Promise.withResolvers<void>();
  return { wait: () => promise, finish: () => resolve() };
}

const flush = () => Bun.sleep(0);

describe("concurrency limiter", () => {
  test("never runs more than `limit` tasks at once, and runs them all", async () => {
    const limiter = createConcurrencyLimiter({ limit: 3, maxQueued: 100 });
    let active = 0;
    let peak = 0;
    const gates = Array.from({ length: 12 }, gate);
    const done = gates.map((g) =>
      limiter.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await g.wait();
        active--;
      }),
    );
    await flush();
    expect({ active, running: limiter.running, queued: limiter.queued }).toEqual({
      active: 3,
      running: 3,
      queued: 9,
    });
    // Finish them in a scrambled order; every release must admit exactly one waiter.
    for (const i of [2, 0, 5, 1, 3, 4, 7, 6, 9, 8, 11, 10]) {
      gates[i]?.finish();
      await flush();
      expect(active).toBeLessThanOrEqual(3);
    }
    await Promise.all(done);
    expect(peak).toBe(3);
    expect({ running: limiter.running, queued: limiter.queued }).toEqual({ running: 0, queued: 0 });
  });

  test("waiting tasks start in arrival order; a newcomer does not overtake them", async () => {
    const limiter = createConcurrencyLimiter({ limit: 1, maxQueued: 10 });
    const started: string[] = [];
    const first = gate();
    const firstDone = limiter.run(async () => {
      started.push("first");
      await first.wait();
    });
    const waiters = ["a", "b", "c", "d"].map((name) =>
      limiter.run(async () => {
        started.push(name);
      }),
    );
    first.finish();
    await firstDone;
    // The slot has been handed to "a" already: a task arriving now queues behind the others.
    const late = limiter.run(async () => {
      started.push("late");
    });
    await Promise.all([...waiters, late]);
    expect(started).toEqual(["first", "a", "b", "c", "d", "late"]);
  });

  test("when `maxQueued` tasks already wait, run rejects at once with LimiterFullError", async () => {
    const limiter = createConcurrencyLimiter({ limit: 1, maxQueued: 2 });
    const hold = gate();
    const held = limiter.run(hold.wait);
    const queued = [limiter.run(async () => 1), limiter.run(async () => 2)];
    const task = () => Promise.resolve("never");
    let ran = false;
    await expect(
      limiter.run(() => {
        ran = true;
        return task();
      }),
    ).rejects.toBeInstanceOf(LimiterFullError);
    expect(ran).toBe(false);
    hold.finish();
    await held;
    expect(await Promise.all(queued)).toEqual([1, 2]);
    // Room again once the queue has drained.
    expect(await limiter.run(task)).toBe("never");
  });

  test("maxQueued 0 refuses anything beyond the running tasks", async () => {
    const limiter = createConcurrencyLimiter({ limit: 2, maxQueued: 0 });
    const hold = gate();
    const running = [limiter.run(hold.wait), limiter.run(hold.wait)];
    await expect(limiter.run(async () => 0)).rejects.toBeInstanceOf(LimiterFullError);
    hold.finish();
    await Promise.all(running);
  });

  test("a failing task passes its error on and frees its slot", async () => {
    const limiter = createConcurrencyLimiter({ limit: 1, maxQueued: 1 });
    const failing = limiter.run(async () => {
      throw new Error("boom");
    });
    const next = limiter.run(async () => "next");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("next");
    expect(limiter.running).toBe(0);
  });

  test.each([[{ limit: 0, maxQueued: 1 }], [{ limit: 1.5, maxQueued: 1 }], [{ limit: 1, maxQueued: -1 }]])(
    "rejects a nonsensical option set %o",
    (options) => {
      expect(() => createConcurrencyLimiter(options)).toThrow(RangeError);
    },
  );
});
