// A request's or a response's body as text, read as it streams in and dropped past a cap, so a huge
// or endless body is never held in memory.

/** The body as UTF-8 text, or null past `maxBytes` (declared or streamed). Throws on bytes that are not UTF-8. */
export async function readCappedText(message: Request | Response, maxBytes: number): Promise<string | null> {
  if (Number(message.headers.get('content-length')) > maxBytes) {
    await message.body?.cancel().catch(() => {});
    return null;
  }
  if (!message.body) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  // Leaving the loop early cancels the stream: the rest is never downloaded.
  for await (const chunk of message.body as unknown as AsyncIterable<Uint8Array>) {
    length += chunk.byteLength;
    if (length > maxBytes) return null;
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(length);
  chunks.reduce((offset, chunk) => (bytes.set(chunk, offset), offset + chunk.byteLength), 0);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
