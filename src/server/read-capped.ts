// A request's or a response's body as text, read as it streams in and dropped past a cap, so a huge
// or endless body is never held in memory.

/** The body as UTF-8 text, or null past `maxBytes` (declared or streamed). Throws on bytes that are not UTF-8. */
export async function readCappedText(message: Request | Response, maxBytes: number): Promise<string | null> {
  if (Number(message.headers.get('content-length')) > maxBytes) {
    await message.body?.cancel().catch(() => {});
    return null;
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  const take = (chunk: Uint8Array) => {
    chunks.push(chunk);
    return (length += chunk.byteLength) <= maxBytes;
  };
  if (message.body === undefined) {
    // Firefox's Request has no body stream: it is read whole, and its length checked all the same.
    if (!take(new Uint8Array(await message.arrayBuffer()))) return null;
  } else if (message.body) {
    // A reader, not `for await` over the stream, which WebKit lacks.
    const reader = message.body.getReader();
    for (let read; !(read = await reader.read()).done; ) {
      if (!take(read.value)) {
        await reader.cancel().catch(() => {}); // the rest is never downloaded
        return null;
      }
    }
  }
  const bytes = new Uint8Array(length);
  chunks.reduce((offset, chunk) => (bytes.set(chunk, offset), offset + chunk.byteLength), 0);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
