import type { z } from "zod";

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** Parses the environment with a zod object schema; the first problem becomes one line naming the variable. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.infer<S> {
  // Empty strings count as unset, so `FOO= bun run dev` falls back to the default instead of failing.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = issue?.path.join(".") || "environment";
  const received = issue?.code === "invalid_type" && !(name in cleaned) ? "is required" : issue?.message;
  throw new ConfigError(`Invalid environment variable ${name}: ${received}`);
}

/** For process entry points: a bad environment stops the process with one readable line, never a stack. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Env = process.env): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
