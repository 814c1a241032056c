import { ValidationFailedError } from "@ecom/errors";
import type { RequestLimits } from "./limits.ts";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

const invalidText = () =>
  new ValidationFailedError("Request body holds a NUL character or invalid Unicode text");

/** The code of the `\uXXXX` escape at `at` (the backslash), or -1 when there is none there. */
function escapedCode(text: string, at: number): number {
  if (text.charCodeAt(at) !== BACKSLASH || text[at + 1] !== "u") return -1;
  const hex = text.slice(at + 2, at + 6);
  return /^[0-9A-Fa-f]{4}$/.test(hex) ? Number.parseInt(hex, 16) : -1;
}

/**
 * One pass over JSON text, without parsing it: refuses nesting deeper than the limit, more values
 * than the limit, and strings whose escapes spell a NUL or a lone surrogate. Runs in linear time
 * with no recursion, so a body built to exhaust a recursive parser or validator costs
 * microseconds per kilobyte here and never reaches them. Syntax errors are left to JSON.parse.
 */
export function checkJsonShape(text: string, limits: Pick<RequestLimits, "maxJsonDepth" | "maxJsonValues">) {
  let depth = 0;
  let values = 1;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i++;
      for (;;) {
        if (i >= text.length) return;
        const s = text.charCodeAt(i);
        if (s === QUOTE) break;
        if (s === 0) throw invalidText();
        if (s === BACKSLASH) {
          const code = escapedCode(text, i);
          if (code === 0 || isLowSurrogate(code)) throw invalidText();
          if (isHighSurrogate(code)) {
            if (!isLowSurrogate(escapedCode(text, i + 6))) throw invalidText();
            i += 12;
            continue;
          }
          i += code === -1 ? 2 : 6;
          continue;
        }
        i++;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      values++;
      if (depth > limits.maxJsonDepth) {
        throw new ValidationFailedError(`JSON nests deeper than ${limits.maxJsonDepth} levels`);
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c) {
      values++;
    }
    if (values > limits.maxJsonValues) {
      throw new ValidationFailedError(`JSON holds more than ${limits.maxJsonValues} values`);
    }
    i++;
  }
}
