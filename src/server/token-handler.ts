// The EMR's token endpoint as a Fetch-API handler, `(Request) => Promise<Response>`: it runs as it is
// in Hono, Next.js route handlers, Deno and Bun, and through a two-line adapter in Express or Fastify.
import type { KeyInput } from 'jose';
import { isLaunchContext } from '../core/launch-context-check.js';
import type { LaunchContext, TokenRequest, UserRole } from '../core/launch-context.js';
import { pickLaunchContext } from '../core/pick-launch-context.js';
import { REQUEST_ID } from '../core/protocol.js';
import { VIEWERS } from '../core/viewers.js';
import { chartContext, type Chart } from './chart-context.js';
import { exceedsJsonDepth } from './json-depth.js';
import { LaunchContextTooLargeError, checkExpiresIn, mintLaunchToken } from './launch-token.js';
import { readCappedText } from './read-capped.js';

/** The `error` of every refusal's JSON body, `{ error, message }`. */
export type TokenEndpointErrorCode =
  | 'method-not-allowed'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'context-too-large'
  | 'bad-request'
  | 'unknown-viewer'
  | 'invalid-context'
  | 'unauthenticated'
  | 'forbidden'
  | 'context-mismatch'
  | 'internal-error';

/** The EMR user the token is minted for, from the EMR's own session, never from the request body. */
export interface AuthorizedUser {
  /** The token's `sub`: viewer access is audited per user. */
  subject: string;
  /** Put in `ctx.user.role` in place of whatever the browser sent. */
  role: UserRole;
  /**
   * What your records hold for `ctx.patient.id`. The token then carries the chart's health number
   * and demographics, and a request naming others gets 409 `context-mismatch`. Give it: without
   * it the token carries what the browser sent. A `chart` key that holds no chart (a look-up that
   * found nothing) is a 500, never a fall-back to the browser's word.
   */
  chart?: Chart;
}

/**
 * One launch, for the EMR's audit trail: who minted a token for which chart and viewer, and when. It
 * names the token by its `jti` (the id the viewer claims) and holds no health number and no name.
 */
export interface MintRecord {
  /** The token's `jti`. */
  jti: string;
  /** The request body's `requestId` when it is a well-formed protocol id (8–64 of `A-Z a-z 0-9 _ -`), else undefined. Only a label: nothing checks it. */
  requestId: string | undefined;
  /** The token's `sub`, from `authorize`. */
  subject: string;
  /** The role the token carries, from `authorize`. */
  role: UserRole;
  /** `ctx.patient.id`: the EMR's own chart id. */
  patientId: string;
  /** The token's `aud`. */
  viewerId: string;
  /** The token's `iat` and `exp`, in seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
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
   * the request's. Return the user with the chart, `'unauthenticated'` (401) or `'forbidden'` (403).
   */
  authorize(request: Request, tokenRequest: TokenRequest): Authorization | Promise<Authorization>;
  /** Seconds, 1 to 120; default 60. */
  expiresIn?: number;
  /** The viewer ids this EMR launches; default: every known viewer. List exactly yours: a token for any other is refused. */
  audiences?: readonly string[];
  /**
   * Called once for each token, after minting and before it is handed out, and awaited: write your audit
   * line here. If it throws or rejects, the answer is 500 and the token is never sent (no audit, no launch).
   */
  onMint?: (record: MintRecord) => void | Promise<void>;
  /** Told about a 500 (a throwing `authorize` or `onMint`, a bad key); default `console.error`. Never given the request body. */
  onError?: (error: unknown) => void;
}

/** A token request is a few hundred bytes; anything near this is not one. */
export const MAX_TOKEN_REQUEST_BYTES = 16_384;
/** A token request nests 3 deep (`ctx.patient.givenName`); the bound leaves room for a vendor's extra keys. */
const MAX_TOKEN_REQUEST_DEPTH = 8;

const MESSAGES: Record<TokenEndpointErrorCode, string> = {
  'method-not-allowed': 'Use POST.',
  'unsupported-media-type': 'Send the token request as application/json.',
  'payload-too-large': `A token request is at most ${MAX_TOKEN_REQUEST_BYTES} bytes.`,
  'context-too-large': 'The launch context makes a token longer than viewers accept.',
  'bad-request': 'The body is not a token request: { viewerId, audience, ctx }.',
  'unknown-viewer': 'The audience is not a viewer this EMR launches.',
  'invalid-context': 'ctx is not a launch context: { healthNumber, patient, location, user, network }.',
  unauthenticated: 'Sign in to the EMR first.',
  forbidden: 'This user may not open this chart in this viewer.',
  'context-mismatch': "The health number or demographics differ from the EMR's chart: reload the chart and launch again.",
  'internal-error': 'The token service failed.',
};
const STATUS: Record<TokenEndpointErrorCode, number> = {
  'method-not-allowed': 405,
  'unsupported-media-type': 415,
  'payload-too-large': 413,
  'context-too-large': 413,
  'bad-request': 400,
  'unknown-viewer': 400,
  'invalid-context': 400,
  unauthenticated: 401,
  forbidden: 403,
  'context-mismatch': 409,
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

type Parsed = { tokenRequest: TokenRequest; requestId: string | undefined } | { refusal: TokenEndpointErrorCode };

/** The request's shape, checked with the rules `createLaunchToken` applies (`isLaunchContext`). */
function parseTokenRequest(text: string, audiences: ReadonlySet<string>): Parsed {
  let body: unknown;
  // Bounded before parsing: signing walks the parsed value recursively, and would overflow the stack.
  if (exceedsJsonDepth(text, MAX_TOKEN_REQUEST_DEPTH)) return { refusal: 'bad-request' };
  try {
    body = JSON.parse(text);
  } catch {
    return { refusal: 'bad-request' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refusal: 'bad-request' };
  // Own properties only: a polluted Object.prototype must not supply a viewer or a context.
  const [viewerId, audience, ctx, requestId] = ['viewerId', 'audience', 'ctx', 'requestId'].map((name) => (Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined));
  if (typeof audience !== 'string') return { refusal: 'bad-request' };
  if (!audiences.has(audience) || (viewerId !== undefined && viewerId !== audience)) return { refusal: 'unknown-viewer' };
  if (!isLaunchContext(ctx)) return { refusal: 'invalid-context' };
  // A label for the audit line only: whatever the browser sent, it decides nothing.
  const label = typeof requestId === 'string' && REQUEST_ID.test(requestId) ? requestId : undefined;
  return { tokenRequest: { viewerId: audience, audience, ctx } as TokenRequest, requestId: label };
}

/**
 * Makes the EMR's token endpoint. POST `{ viewerId, audience, ctx, requestId }` (what `.tokenProvider` gets) as
 * JSON; the answer is `{ token }`, or `{ error, message }` with 400, 401, 403, 405, 409, 413, 415 or 500.
 * `onMint` hears of each token before it is handed out.
 * Every answer has `Cache-Control: no-store`, and none repeats the health number or the names.
 */
export function createTokenHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response> {
  const { privateKey, keyId, issuer, authorize, onMint, expiresIn = 60, onError = (error: unknown) => console.error('careconnect-launch token endpoint:', error) } = options ?? {};
  if (!privateKey || typeof privateKey !== 'object') throw new TypeError('createTokenHandler needs privateKey, the EMR\'s ES256 private key');
  for (const [name, value] of [['keyId', keyId], ['issuer', issuer]] as const) {
    if (typeof value !== 'string' || !value) throw new TypeError(`createTokenHandler needs ${name}, a non-empty string`);
  }
  if (typeof authorize !== 'function') throw new TypeError('createTokenHandler needs authorize(request, tokenRequest)');
  if (onMint !== undefined && typeof onMint !== 'function') throw new TypeError('onMint must be a function (record) => void');
  checkExpiresIn(expiresIn);
  const audiences = new Set(options.audiences ?? Object.keys(VIEWERS));

  return async (request) => {
    if (request.method !== 'POST') return refuse('method-not-allowed', { allow: 'POST' });
    const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return refuse('unsupported-media-type');
    let text: string | null;
    try {
      text = await readCappedText(request, MAX_TOKEN_REQUEST_BYTES);
    } catch {
      return refuse('bad-request'); // not UTF-8, or the client went away mid-body
    }
    if (text === null) return refuse('payload-too-large');
    const parsed = parseTokenRequest(text, audiences);
    // Own only: a polluted Object.prototype.refusal refuses no good request.
    if (Object.hasOwn(parsed, 'refusal')) return refuse((parsed as { refusal: TokenEndpointErrorCode }).refusal);
    const { tokenRequest, requestId } = parsed as { tokenRequest: TokenRequest; requestId: string | undefined };
    try {
      const user = await authorize(request, tokenRequest);
      if (user === 'unauthenticated') return refuse('unauthenticated');
      if (!user || user === 'forbidden') return refuse('forbidden');
      const asked: LaunchContext = pickLaunchContext({ ...tokenRequest.ctx, user: { role: user.role } });
      const ctx = Object.hasOwn(user, 'chart') ? chartContext(asked, user.chart) : asked;
      if (ctx === 'mismatch') return refuse('context-mismatch');
      const { token, jti, iat, exp } = await mintLaunchToken(ctx, {
        privateKey, issuer, audience: tokenRequest.audience, subject: user.subject, expiresIn, keyId,
      });
      // Awaited before the answer: an audit that failed means no launch (the catch below makes it a 500).
      await onMint?.({
        jti, requestId, subject: user.subject, role: ctx.user.role, patientId: ctx.patient.id,
        viewerId: tokenRequest.audience, issuedAt: iat, expiresAt: exp,
      });
      return jsonResponse(200, { token });
    } catch (error) {
      if (error instanceof LaunchContextTooLargeError) return refuse('context-too-large');
      onError(error);
      return refuse('internal-error');
    }
  };
}
