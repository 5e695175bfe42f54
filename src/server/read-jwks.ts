/// <reference types="node" />
// Reads an EMR's public JWKS from a URL or a file, for the command line (check-token, mock-viewer):
// a JWKS ({ keys }) or one JWK. Every failure is a TypeError whose message names the source.
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';

export async function readJwks(source: string): Promise<JSONWebKeySet> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, { signal: AbortSignal.timeout(10_000) }).catch((error) => {
      throw new TypeError(`${source}: ${error.cause?.message ?? error.message}`);
    });
    if (!response.ok) throw new TypeError(`${source} answered ${response.status}`);
    text = await response.text();
  } else {
    text = await readFile(source, 'utf8').catch(() => {
      throw new TypeError(`${source}: no such file`);
    });
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TypeError(`${source} is not JSON`);
  }
  if (Array.isArray(json?.keys)) return json;
  if (typeof json?.kty === 'string') return { keys: [json] };
  throw new TypeError(`${source} is neither a JWKS ({ "keys": [...] }) nor a JWK`);
}
