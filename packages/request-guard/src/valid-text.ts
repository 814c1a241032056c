// A surrogate that is not one half of a pair; such text cannot be encoded as UTF-8.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text the services accept anywhere: no NUL (PostgreSQL refuses it in text columns, and it cuts
 * strings short in C-based tools downstream) and well-formed UTF-16 (a lone surrogate would fail
 * or be mangled on the way to a database).
 */
export function isValidText(text: string): boolean {
  return !text.includes("\u0000") && !loneSurrogate.test(text);
}
