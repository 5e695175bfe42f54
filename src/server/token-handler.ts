// The EMR's token endpoint as a Fetch-API handler, `(Request) => Promise<Response>`: it runs as it is
// in Hono, Next.js route handlers, Deno and Bun, and through a two-line adapter in Express or Fastify.
import type { KeyInput } from 'jose';
import { isLaunchContext } from '../core/launch-context-check.js';
import type { LaunchContext, TokenRequest, UserRole } from '../core/launch-context.js';
import { VIEWERS } from '../core/viewers.js';
import { checkExpiresIn, createLaunchToken } from './launch-token.js';

/** The `error` of every refusal's JSON body, `{ error, message }`. */
export type TokenEndpointErrorCode =
  | 'method-not-allowed'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'bad-request'
  | 'unknown-viewer'
  | 'invalid-context'
  | 'unauthenticated'
  | 'forbidden'
  | 'internal-error';

/** The EMR user the token is minted for, from the EMR's own session, never from the request body. */
export interface AuthorizedUser {
  /** The token's `sub`: viewer access is audited per user. */
  subject: string;
  /** Put in `ctx.user.role` in place of whatever the browser sent. */
  role: UserRole;
}

/** What `authorize` answers: the user, or a refusal (`null`, `undefined` and `false` mean forbidden). */
export type Authorization = AuthorizedUser | 'unauthenticated' | 'forbidden' | null | undefined | false;

export interface TokenHandlerOptions {
  /** The EMR's ES256 private key (CryptoKey, KeyObject or JWK). */
  privateKey: KeyInput;
  /** The `kid` the viewer finds in your JWKS (see `publicJwks`). */
  keyId: string;
  issuer: string;
  /**
   * Checks your session: may this user open this chart in this viewer? Prefer your own records to
   * the request's. Return the user, `'unauthenticated'` (401) or `'forbidden'` (403).
   */
  authorize(request: Request, tokenRequest: TokenRequest): Authorization | Promise<Authorization>;
  /** Seconds, 1 to 120; default 60. */
  expiresIn?: number;
  /** The viewer ids this EMR launches; default: every known viewer. */
  audiences?: readonly string[];
  /** Told about a 500 (a throwing `authorize`, a bad key); default `console.error`. Never given the request body. */
  onError?: (error: unknown) => void;
}

/** A token request is a few hundred bytes; anything near this is not one. */
export const MAX_TOKEN_REQUEST_BYTES = 16_384;

const MESSAGES: Record<TokenEndpointErrorCode, string> = {
  'method-not-allowed': 'Use POST.',
  'unsupported-media-type': 'Send the token request as application/json.',
  'payload-too-large': `A token request is at most ${MAX_TOKEN_REQUEST_BYTES} bytes.`,
  'bad-request': 'The body is not a token request: { viewerId, audience, ctx }.',
  'unknown-viewer': 'The audience is not a viewer this EMR launches.',
  'invalid-context': 'ctx is not a launch context: { healthNumber, patient, location, user, network }.',
  unauthenticated: 'Sign in to the EMR first.',
  forbidden: 'This user may not open this chart in this viewer.',
  'internal-error': 'The token service failed.',
};
const STATUS: Record<TokenEndpointErrorCode, number> = {
  'method-not-allowed': 405,
  'unsupported-media-type': 415,
  'payload-too-large': 413,
  'bad-request': 400,
  'unknown-viewer': 400,
  'invalid-context': 400,
  unauthenticated: 401,
  forbidden: 403,
  'internal-error': 500,
};

/** A JSON answer that no cache keeps; refusals carry only fixed words, never the request's content. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers },
  });
}

const refuse = (code: TokenEndpointErrorCode, headers?: Record<string, string>) =>
  jsonResponse(STATUS[code], { error: code, message: MESSAGES[code] }, headers);

/** The body as text, or null past the cap, read as it streams in so a huge body is never held. */
async function readCapped(request: Request): Promise<string | null> {
  if (Number(request.headers.get('content-length')) > MAX_TOKEN_REQUEST_BYTES) return null;
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    length += chunk.byteLength;
    if (length > MAX_TOKEN_REQUEST_BYTES) return null;
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(length);
  chunks.reduce((offset, chunk) => (bytes.set(chunk, offset), offset + chunk.byteLength), 0);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

type Parsed = { tokenRequest: TokenRequest } | { refusal: TokenEndpointErrorCode };

/** The request's shape, checked with the rules `createLaunchToken` applies (`isLaunchContext`). */
function parseTokenRequest(text: string, audiences: ReadonlySet<string>): Parsed {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { refusal: 'bad-request' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refusal: 'bad-request' };
  // Own properties only: a polluted Object.prototype must not supply a viewer or a context.
  const [viewerId, audience, ctx] = ['viewerId', 'audience', 'ctx'].map((name) => (Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined));
  if (typeof audience !== 'string') return { refusal: 'bad-request' };
  if (!audiences.has(audience) || (viewerId !== undefined && viewerId !== audience)) return { refusal: 'unknown-viewer' };
  if (!isLaunchContext(ctx)) return { refusal: 'invalid-context' };
  return { tokenRequest: { viewerId: audience, audience, ctx } as TokenRequest };
}

/**
 * Makes the EMR's token endpoint. POST `{ viewerId, audience, ctx }` (what `.tokenProvider` gets) as
 * JSON; the answer is `{ token }`, or `{ error, message }` with 400, 401, 403, 405, 413, 415 or 500.
 * Every answer has `Cache-Control: no-store`, and none repeats the health number or the names.
 */
export function createTokenHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response> {
  const { privateKey, keyId, issuer, authorize, expiresIn = 60, onError = (error: unknown) => console.error('careconnect-launch token endpoint:', error) } = options ?? {};
  if (!privateKey || typeof privateKey !== 'object') throw new TypeError('createTokenHandler needs privateKey, the EMR\'s ES256 private key');
  for (const [name, value] of [['keyId', keyId], ['issuer', issuer]] as const) {
    if (typeof value !== 'string' || !value) throw new TypeError(`createTokenHandler needs ${name}, a non-empty string`);
  }
  if (typeof authorize !== 'function') throw new TypeError('createTokenHandler needs authorize(request, tokenRequest)');
  checkExpiresIn(expiresIn);
  const audiences = new Set(options.audiences ?? Object.keys(VIEWERS));

  return async (request) => {
    if (request.method !== 'POST') return refuse('method-not-allowed', { allow: 'POST' });
    const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return refuse('unsupported-media-type');
    let text: string | null;
    try {
      text = await readCapped(request);
    } catch {
      return refuse('bad-request'); // not UTF-8, or the client went away mid-body
    }
    if (text === null) return refuse('payload-too-large');
    const parsed = parseTokenRequest(text, audiences);
    // Own only: a polluted Object.prototype.refusal refuses no good request.
    if (Object.hasOwn(parsed, 'refusal')) return refuse((parsed as { refusal: TokenEndpointErrorCode }).refusal);
    const { tokenRequest } = parsed as { tokenRequest: TokenRequest };
    try {
      const user = await authorize(request, tokenRequest);
      if (user === 'unauthenticated') return refuse('unauthenticated');
      if (!user || user === 'forbidden') return refuse('forbidden');
      const ctx: LaunchContext = { ...tokenRequest.ctx, user: { role: user.role } };
      const token = await createLaunchToken(ctx, {
        privateKey, issuer, audience: tokenRequest.audience, subject: user.subject, expiresIn, keyId,
      });
      return jsonResponse(200, { token });
    } catch (error) {
      onError(error);
      return refuse('internal-error');
    }
  };
}
