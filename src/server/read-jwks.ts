/// <reference types="node" />
// Reads an EMR's public JWKS from a URL or a file, for the command line (check-token, mock-viewer):
// a JWKS ({ keys }) or one JWK. Every failure is a TypeError whose message names the source.
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { readCappedText } from './read-capped.js';

/** An EMR publishes two or three keys, a few hundred bytes each: a body this large is no JWKS. */
export const MAX_JWKS_BYTES = 65_536;

/** A JWKS URL whose body passes `MAX_JWKS_BYTES`, declared or as it streams in. */
export class JwksTooLargeError extends TypeError {
  override name = 'JwksTooLargeError';
  constructor(source: string) {
    super(`${source} sent more than ${MAX_JWKS_BYTES / 1024} KB: that is not an EMR's JWKS`);
  }
}

async function fetchText(source: string): Promise<string> {
  // The timeout covers the whole read, body included: a server that trickles cannot hold us.
  const signal = AbortSignal.timeout(10_000);
  const failed = (error: { message: string; cause?: { message?: string } }) => new TypeError(`${source}: ${error.cause?.message ?? error.message}`);
  const response = await fetch(source, { signal }).catch((error) => {
    throw failed(error);
  });
  if (!response.ok) throw new TypeError(`${source} answered ${response.status}`);
  const text = await readCappedText(response, MAX_JWKS_BYTES).catch((error) => {
    throw failed(error);
  });
  if (text === null) throw new JwksTooLargeError(source);
  return text;
}

export async function readJwks(source: string): Promise<JSONWebKeySet> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    text = await fetchText(source);
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
