import { UsageFailure } from "../failures.ts";

/** kubectl duration syntax: 90s, 5m, 1h. */
export function parseTimeout(value: string): string {
  if (!/^\d+(s|m|h)$/.test(value))
    throw new UsageFailure(`--timeout must look like 90s, 5m or 1h, not "${value}"`);
  return value;
}
