export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogSink = (line: string) => void;
type Fields = Record<string, unknown>;

export type Logger = {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  child(fields: Fields): Logger;
};

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const stdout: LogSink = (line) => process.stdout.write(line);

/**
 * JSON lines with ECS field names (flat, dotted keys), so Filebeat/Fluent Bit can ship them to
 * Elasticsearch without a parsing pipeline.
 */
export function createLogger(options: {
  service: string;
  level?: LogLevel;
  sink?: LogSink;
  fields?: Fields;
}): Logger {
  const min = rank[options.level ?? "info"];
  const sink = options.sink ?? stdout;
  const make = (bound: Fields): Logger => {
    const write = (level: LogLevel, message: string, fields?: Fields) => {
      if (rank[level] < min) return;
      const record = {
        "@timestamp": new Date().toISOString(),
        "log.level": level,
        message,
        "service.name": options.service,
        "ecs.version": "8.11.0",
        ...bound,
        ...fields,
      };
      sink(`${JSON.stringify(record)}\n`);
    };
    return {
      debug: (m, f) => write("debug", m, f),
      info: (m, f) => write("info", m, f),
      warn: (m, f) => write("warn", m, f),
      error: (m, f) => write("error", m, f),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make(options.fields ?? {});
}
