/**
 * The path of a request URL, read from the string. `new URL()` throws on what a client may put in its
 * Host header (`Host: undefined:undefined`), and a throw in an after-response hook ends the process.
 */
export function requestPath(url: string): string {
  const afterScheme = url.indexOf("://");
  const start = url.indexOf("/", afterScheme === -1 ? 0 : afterScheme + 3);
  if (start === -1) return "/";
  const end = url.indexOf("?", start);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}
