// The EMR's JWKS: the public halves of its signing keys, each under its `kid`, served to viewers.
// Rotation: add the new key here, wait out the cache, sign with it, drop the old one 120 s later.
import { base64url, exportJWK, importJWK, type CryptoKey, type JSONWebKeySet, type JWK, type KeyInput } from 'jose';
import { ownProperties } from '../core/own-properties.js';
import { jsonResponse } from './token-handler.js';

export interface SigningKey {
  /** The `kid` that `createTokenHandler` (or `createLaunchToken`) puts in the header. */
  keyId: string;
  /** The ES256 key: public or private (CryptoKey, KeyObject or JWK). Only the public part is served. */
  key: KeyInput;
}

/** A Fetch-API handler for GET, and the JWKS it serves. */
export interface JwksHandler {
  (request: Request): Promise<Response>;
  readonly jwks: Promise<JSONWebKeySet>;
}

/** How long viewers may cache the JWKS: publish a new key at least this long before signing with it. */
export const JWKS_MAX_AGE_S = 300;

/** A P-256 coordinate: 32 bytes in canonical base64url (43 characters, no unused bits set). */
const isCoordinate = (value: unknown): value is string =>
  typeof value === 'string' && /^[\w-]{43}$/.test(value) && base64url.encode(base64url.decode(value)) === value;

/** The public members of a JWK, each checked; a TypeError names the key, never a member's value. */
function publicMembers(jwk: unknown, keyId: string): JWK {
  const { kty, crv, x, y } = ownProperties(jwk);
  if (kty !== 'EC' || crv !== 'P-256' || !isCoordinate(x) || !isCoordinate(y)) {
    throw new TypeError(`publicJwks: key ${keyId} is not an ES256 (EC P-256) key with string coordinates x and y`);
  }
  // Copy the public members only: a private JWK must never leak its `d`.
  return { kty, crv, x, y };
}

// Own members only: a CryptoKey must not pass for a JWK through a polluted Object.prototype.kty.
const isJwk = (key: KeyInput) => !(key instanceof Uint8Array) && typeof key === 'object' && key !== null && Object.hasOwn(key, 'kty');

async function publicPart({ keyId, key }: SigningKey): Promise<JWK> {
  const members = publicMembers(isJwk(key) ? key : await exportJWK(key as CryptoKey), keyId);
  // jose imports it as WebCrypto does: coordinates that are no point on the curve are refused.
  await importJWK(members, 'ES256').catch(() => {
    throw new TypeError(`publicJwks: key ${keyId} is not a point on P-256`);
  });
  return { ...members, kid: keyId, alg: 'ES256', use: 'sig' };
}

/**
 * Serves `{ keys }` for the given signing keys, newest first as you list them. Each needs its own
 * `keyId`. Answers GET and HEAD with `Cache-Control: public, max-age=300` and CORS open to all
 * (the keys are public), and 405 otherwise.
 */
export function publicJwks(keys: readonly SigningKey[]): JwksHandler {
  if (!Array.isArray(keys) || keys.length === 0) throw new TypeError('publicJwks needs at least one { keyId, key }');
  const ids = keys.map((entry) => entry?.keyId);
  if (ids.some((id) => typeof id !== 'string' || !id)) throw new TypeError('publicJwks: every key needs a keyId');
  if (new Set(ids).size !== ids.length) throw new TypeError('publicJwks: two keys share a keyId');
  // A JWK is checked now, at the call; a CryptoKey or KeyObject once exported, in `.jwks`.
  for (const { keyId, key } of keys) if (isJwk(key)) publicMembers(key, keyId);
  const jwks = Promise.all(keys.map(publicPart)).then((list) => ({ keys: list }));
  jwks.catch(() => {}); // surfaced on the first request and to whoever awaits .jwks
  const handler = async (request: Request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return jsonResponse(405, { error: 'method-not-allowed', message: 'Use GET.' }, { allow: 'GET, HEAD' });
    }
    const response = jsonResponse(200, await jwks, {
      'cache-control': `public, max-age=${JWKS_MAX_AGE_S}`,
      'access-control-allow-origin': '*',
    });
    return request.method === 'HEAD' ? new Response(null, { headers: response.headers }) : response;
  };
  return Object.assign(handler, { jwks });
}
