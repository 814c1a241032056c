export type LogStyle = { pretty: boolean; color: boolean };

const colors: Record<string, string> = {
  user: "\x1b[36m",
  product: "\x1b[35m",
  order: "\x1b[33m",
  gateway: "\x1b[32m",
  dev: "\x1b[90m",
};
const levelColors: Record<string, string> = {
  debug: "\x1b[90m",
  info: "\x1b[34m",
  warn: "\x1b[33m",
  error: "\x1b[31m",
};
const reset = "\x1b[0m";
const labelWidth = "[gateway]".length;

/** In a terminal: colours and one readable line per entry. Piped: the service's JSON line untouched. */
export function styleFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): LogStyle {
  const tty = stream.isTTY === true;
  return { pretty: tty, color: tty && env.NO_COLOR === undefined };
}

function paint(text: string, code: string | undefined, style: LogStyle): string {
  return style.color && code ? `${code}${text}${reset}` : text;
}

function prettyJson(line: string, style: LogStyle): string | undefined {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof record !== "object" || record === null || typeof record.message !== "string") return undefined;
  const level = String(record["log.level"] ?? "info");
  const time = String(record["@timestamp"] ?? "").slice(11, 19);
  const requestId = record["trace.id"] ? `  ${paint(`rid=${record["trace.id"]}`, colors.dev, style)}` : "";
  const error = record["error.message"]
    ? `  ${paint(String(record["error.message"]), levelColors.error, style)}`
    : "";
  return `${paint(time, colors.dev, style)} ${paint(level.toUpperCase().padEnd(5), levelColors[level], style)} ${record.message}${requestId}${error}`;
}

/** One output line for one line a process wrote, prefixed with its coloured `[label]`. */
export function formatLine(label: string, line: string, style: LogStyle): string {
  const prefix = paint(`[${label}]`.padEnd(labelWidth), colors[label], style);
  const body = style.pretty ? (prettyJson(line, style) ?? line) : line;
  return `${prefix} ${body}`;
}
