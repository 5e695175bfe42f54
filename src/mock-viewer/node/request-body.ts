/// <reference types="node" />
// The mock's servers read small bodies only: a body over the limit is read as empty, never in part.
import type { IncomingMessage } from 'node:http';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > maxBytes) return '';
  }
  return text;
}
