const safe = /^[\w@%+=:,./-]+$/;

/** Renders argv as a copy-pasteable shell line, so plans and logs can be re-run by hand. */
export function shellQuote(argv: readonly string[]): string {
  return argv
    .map((arg) => (arg !== "" && safe.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`))
    .join(" ");
}
