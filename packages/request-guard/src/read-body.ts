import { PayloadTooLargeError, ValidationFailedError } from "@ecom/errors";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The body as bytes, never reading past `maxBytes`: a declared length over it is refused before
 * a byte is read, and a chunked body is cut off as soon as it passes the limit.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw new PayloadTooLargeError(maxBytes);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks);
}

/** UTF-8 decoded strictly: bytes that are not UTF-8 are a 400, not silently replaced. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ValidationFailedError("Request body is not valid UTF-8");
  }
}
