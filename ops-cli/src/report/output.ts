export interface Output {
  readonly color: boolean;
  /** Results (JSON, tables, plans): stdout. */
  out(text: string): void;
  /** Progress, echoes of commands run, errors: stderr. */
  err(text: string): void;
  /** One line of a dry-run plan. */
  plan(line: string): void;
  /** The echo of an external command being run. */
  command(line: string): void;
  paint(style: Style, text: string): string;
}

export type Style = "green" | "red" | "yellow" | "dim" | "bold";

const codes: Record<Style, [number, number]> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export interface OutputOptions {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Whether stderr is a terminal: colours only then, and never when NO_COLOR is set. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
}

export function createOutput({ stdout, stderr, isTTY, env }: OutputOptions): Output {
  const color = isTTY && !env.NO_COLOR;
  const paint = (style: Style, text: string) => {
    if (!color) return text;
    const [open, close] = codes[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
  return {
    color,
    paint,
    out: (text) => stdout.write(`${text}\n`),
    err: (text) => stderr.write(`${text}\n`),
    plan: (line) => stdout.write(`  [dry-run] ${line}\n`),
    command: (line) => stderr.write(`${paint("dim", `  $ ${line}`)}\n`),
  };
}
