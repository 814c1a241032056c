/** What a client saw for one order request. */
export type Seen = "201" | "4xx" | "5xx" | "connection";

type Counts = Record<Seen, number> & { requests: number };

/** Client-visible outcomes of order requests, counted per phase of a chaos run. */
export function phaseTally() {
  const phases = new Map<string, Counts>();
  let current = "";
  const counts = (phase: string) => {
    let c = phases.get(phase);
    if (!c) {
      c = { requests: 0, "201": 0, "4xx": 0, "5xx": 0, connection: 0 };
      phases.set(phase, c);
    }
    return c;
  };
  return {
    /** Requests sent from now on count under `name`. */
    enter(name: string) {
      current = name;
      counts(name);
    },
    /** Returns the phase the request was sent in, so its outcome lands there. */
    sending(): string {
      return current;
    },
    record(phase: string, seen: Seen) {
      const c = counts(phase);
      c.requests += 1;
      c[seen] += 1;
    },
    total(): number {
      return [...phases.values()].reduce((n, c) => n + c.requests, 0);
    },
    table(): string {
      const head = ["phase", "requests", "201", "4xx", "5xx/503", "conn errors", "failed %"];
      const rows = [...phases].map(([name, c]) => [
        name,
        String(c.requests),
        String(c["201"]),
        String(c["4xx"]),
        String(c["5xx"]),
        String(c.connection),
        c.requests ? ((100 * (c["5xx"] + c.connection)) / c.requests).toFixed(1) : "-",
      ]);
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (cells: string[]) =>
        cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
      return [line(head), ...rows.map(line)].join("\n");
    },
  };
}

export type PhaseTally = ReturnType<typeof phaseTally>;
