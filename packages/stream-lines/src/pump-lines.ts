/**
 * Reads a child process's output stream to its end and hands over each non-empty line as it
 * completes (a last line without a newline too), so a caller can react to one line, keep a log, or
 * just keep the pipe drained so the child never blocks on a full buffer.
 */
export async function pumpLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let partial = "";
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    partial += decoder.decode(value, { stream: true });
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line) onLine(line);
  }
  partial += decoder.decode();
  if (partial) onLine(partial);
}
