// Launch tokens: ES256-signed JWTs carrying the launch context, optionally wrapped in a JWE for the
// viewer. jose does all JOSE work; this module adds the claim rules and typed error codes.
// It runs in Node and in browsers (the mock viewer verifies in the page).
import {
  CompactEncrypt, SignJWT, UnsecuredJWT, base64url, compactDecrypt, createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify,
  type JSONWebKeySet, type JWEKeyManagementAlgorithm, type JWTPayload, type JWTVerifyGetKey, type KeyInput,
} from 'jose';
import { isLaunchContext } from '../core/launch-context-check.js';
import { ownProperties } from '../core/own-properties.js';
import type { LaunchContext } from '../core/launch-context.js';
import { pickLaunchContext } from '../core/pick-launch-context.js';
import { MemoryReplayCache, type ReplayCache } from './replay-cache.js';
import { replayKey } from './replay-key.js';

/** A launch token lives two minutes at most: it only has to cross from the EMR to the viewer. */
export const MAX_TOKEN_LIFETIME_S = 120;
/** Verifiers refuse a longer token (`malformed`), so none is minted. */
export const MAX_TOKEN_LENGTH = 16_384;

export type LaunchTokenErrorCode =
  | 'malformed'
  | 'unsupported-algorithm'
  | 'bad-signature'
  | 'unknown-key'
  | 'expired'
  | 'wrong-audience'
  | 'wrong-issuer'
  | 'invalid-claims'
  | 'replayed'
  | 'decryption-failed'
  | 'unavailable';

/** Why a token was refused. `code` is stable; the message never contains the token or its claims. */
export class LaunchTokenError extends Error {
  override name = 'LaunchTokenError';
  constructor(readonly code: LaunchTokenErrorCode, message: string) {
    super(message);
  }
}

/** Thrown by `createLaunchToken` when the context makes a token over `MAX_TOKEN_LENGTH` characters. */
export class LaunchContextTooLargeError extends RangeError {
  override name = 'LaunchContextTooLargeError';
  constructor() {
    super(`The launch context makes a token over ${MAX_TOKEN_LENGTH} characters, which verifiers refuse`);
  }
}

export interface LaunchTokenClaims extends JWTPayload {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  ctx: LaunchContext;
}

export interface CreateLaunchTokenOptions {
  /** The EMR's ES256 private key (CryptoKey, KeyObject or JWK). */
  privateKey: KeyInput;
  issuer: string;
  /** The viewer id, e.g. `bc-careconnect`. */
  audience: string;
  /** The EMR user who launches: CareConnect access is audited per user. */
  subject: string;
  /** Seconds, 1 to 120; default 60. */
  expiresIn?: number;
  /** Put in the header so a verifier with a JWKS picks the right key. */
  keyId?: string;
  /** The viewer's public key: the signed token is then encrypted to it (nested JWE). */
  encryptFor?: KeyInput;
  /** Default: `RSA-OAEP-256` for an RSA key, `ECDH-ES+A256KW` otherwise. */
  encryptionAlgorithm?: JWEKeyManagementAlgorithm;
}

function keyManagementFor(key: KeyInput): JWEKeyManagementAlgorithm {
  const k = key as { kty?: string; asymmetricKeyType?: string; algorithm?: { name?: string } };
  const isRsa = k.kty === 'RSA' || k.asymmetricKeyType === 'rsa' || k.algorithm?.name?.startsWith('RSA') === true;
  return isRsa ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW';
}

/** A token's life in seconds, 1 to 120: a RangeError for anything else. */
export function checkExpiresIn(expiresIn: unknown): asserts expiresIn is number {
  if (!Number.isInteger(expiresIn) || (expiresIn as number) < 1 || (expiresIn as number) > MAX_TOKEN_LIFETIME_S) {
    throw new RangeError(`expiresIn must be a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_S}`);
  }
}

/**
 * Mints a single-use launch token for `ctx`, its known keys only. Throws on bad options (they are the
 * EMR's bug), and a LaunchContextTooLargeError for a context no verifier would take.
 */
export async function createLaunchToken(ctx: LaunchContext, options: CreateLaunchTokenOptions): Promise<string> {
  return (await mintLaunchToken(ctx, options)).token;
}

/** `createLaunchToken`, with the claims an audit line needs beside the token (the token endpoint's `onMint`). */
export async function mintLaunchToken(ctx: LaunchContext, options: CreateLaunchTokenOptions): Promise<{ token: string; jti: string; iat: number; exp: number }> {
  const expiresIn = options.expiresIn ?? 60;
  checkExpiresIn(expiresIn);
  if (!isLaunchContext(ctx)) throw new TypeError('ctx is not a launch context (see TokenRequest.ctx)');
  if (typeof options.subject !== 'string' || !options.subject) throw new TypeError('subject (the EMR user) is required');
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + expiresIn;
  const jti = crypto.randomUUID();
  const jwt = new SignJWT({ ctx: pickLaunchContext(ctx) })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(options.keyId ? { kid: options.keyId } : {}) })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(jti)
    .setSubject(options.subject);
  const signed = await jwt.sign(options.privateKey);
  const token = !options.encryptFor ? signed : await new CompactEncrypt(new TextEncoder().encode(signed))
    .setProtectedHeader({
      alg: options.encryptionAlgorithm ?? keyManagementFor(options.encryptFor),
      enc: 'A256GCM',
      cty: 'JWT',
    })
    .encrypt(options.encryptFor);
  if (token.length > MAX_TOKEN_LENGTH) throw new LaunchContextTooLargeError();
  return { token, jti, iat, exp };
}

export interface VerifyLaunchTokenOptions {
  /** The EMR's public key, or a jose key function such as `createRemoteJWKSet(url)`. Give this or `jwks`. */
  key?: KeyInput | JWTVerifyGetKey;
  /** The EMR's public JWKS; the token's `kid` picks the key. */
  jwks?: JSONWebKeySet;
  issuer: string;
  /** This viewer's id. */
  audience: string;
  /** Where used tokens are claimed (a digest of `iss` and `jti`); default: one in-memory cache per process. */
  replayCache?: ReplayCache;
  /** This viewer's private key: the token must then be a JWE. */
  decryptWith?: KeyInput;
  /** The JWE's key management, pinned; default: `RSA-OAEP-256` for an RSA key, `ECDH-ES+A256KW` otherwise. */
  encryptionAlgorithm?: JWEKeyManagementAlgorithm;
  /** Clock skew allowed between the EMR and the viewer: seconds, or jose's form (`'5s'`, `'1 min'`); default 5. */
  clockTolerance?: number | string;
  /** The time to verify at; default: now. For test vectors, whose tokens have long expired. */
  currentDate?: Date;
}

const defaultReplayCache = new MemoryReplayCache();

const JOSE_CODES: Record<string, LaunchTokenErrorCode> = {
  ERR_JWT_EXPIRED: 'expired',
  ERR_JOSE_ALG_NOT_ALLOWED: 'unsupported-algorithm',
  ERR_JOSE_NOT_SUPPORTED: 'unsupported-algorithm',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad-signature',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown-key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'unknown-key',
  ERR_JWE_DECRYPTION_FAILED: 'decryption-failed',
  ERR_JWKS_TIMEOUT: 'unavailable',
};

const MESSAGES: Record<LaunchTokenErrorCode, string> = {
  malformed: 'The launch token is not a well-formed JWT.',
  'unsupported-algorithm': 'The launch token is not signed with ES256, or not encrypted as this viewer expects.',
  'bad-signature': "The launch token's signature does not verify.",
  'unknown-key': 'The launch token was signed with a key this viewer does not know.',
  expired: 'The launch token has expired: launch again from the EMR.',
  'wrong-audience': 'The launch token is for another viewer.',
  'wrong-issuer': 'The launch token comes from an unexpected issuer.',
  'invalid-claims': "The launch token's claims are missing, too long-lived, or malformed.",
  replayed: 'The launch token was already used: launch again from the EMR.',
  'decryption-failed': 'The launch token could not be decrypted with this viewer\'s key.',
  unavailable: 'The viewer could not check the launch token (its replay cache or key service is down): try again shortly.',
};

const refusal = (code: LaunchTokenErrorCode) => new LaunchTokenError(code, MESSAGES[code]);
const fail = (code: LaunchTokenErrorCode): never => {
  throw refusal(code);
};
const CLAIM_CODES: Record<string, LaunchTokenErrorCode> = { aud: 'wrong-audience', iss: 'wrong-issuer' };
/** Own properties only: an error whose `code` is `constructor` must not find `Object`. */
const lookUp = <T>(table: Record<string, T>, key: unknown): T | undefined =>
  typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;

function toLaunchTokenError(error: unknown): LaunchTokenError {
  if (error instanceof LaunchTokenError) return error;
  const { code, claim } = (error ?? {}) as { code?: unknown; claim?: unknown };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return refusal(lookUp(CLAIM_CODES, claim) ?? 'invalid-claims');
  return refusal(lookUp(JOSE_CODES, code) ?? 'malformed');
}

/** The parts of a compact JWS or JWE, after the length cap and the one-spelling rule. */
export function compactParts(token: unknown): string[] {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) fail('malformed');
  const segments = (token as string).split('.');
  // One spelling per token: base64url's last character can carry unused bits, and a token that
  // differs in them would still verify. Refuse anything that is not the canonical encoding.
  if (segments.some((segment) => base64url.encode(base64url.decode(segment)) !== segment)) fail('malformed');
  return segments;
}

/** jose's own reading of a time span such as `'5s'`, in whole seconds; a TypeError for anything else. */
function toleranceSeconds(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    try {
      // jose keeps its parser private, so read it back from a claim it sets relative to now.
      for (;;) {
        const before = Math.floor(Date.now() / 1000);
        const seconds = decodeJwt(new UnsecuredJWT({}).setExpirationTime(value).encode()).exp! - before;
        if (Math.floor(Date.now() / 1000) !== before) continue; // a second ticked over in between
        if (seconds >= 0) return seconds;
        break;
      }
    } catch {
      // not jose's form: the TypeError below says what is
    }
  }
  throw new TypeError(`clockTolerance must be seconds (a number ≥ 0) or a span such as '5s'; got ${JSON.stringify(value)}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * A misconfigured verifier is the viewer's bug, not the token's: a TypeError at the call, naming the option.
 * Own options only: a polluted Object.prototype.key, .issuer or .clockTolerance must not choose what verifies.
 */
function readOptions(given: VerifyLaunchTokenOptions) {
  if (!isObject(given)) throw new TypeError('verifyLaunchToken needs options: { key | jwks, issuer, audience }');
  const options = ownProperties(given) as unknown as VerifyLaunchTokenOptions;
  for (const name of ['issuer', 'audience'] as const) {
    if (typeof options[name] !== 'string' || !options[name]) throw new TypeError(`verifyLaunchToken needs options.${name}, a non-empty string`);
  }
  let key = options.key;
  if (options.jwks !== undefined) {
    if (!isObject(options.jwks) || !Array.isArray(options.jwks.keys)) {
      throw new TypeError('options.jwks must be a JWKS: { keys: [ { kty, crv, x, y, kid, … } ] }');
    }
    try {
      key ??= createLocalJWKSet(options.jwks);
    } catch (error) {
      throw new TypeError(`options.jwks is not a usable JWKS: ${(error as Error).message}`);
    }
  }
  if (!isObject(key) && typeof key !== 'function') throw new TypeError('verifyLaunchToken needs options.key or options.jwks');
  const cache = options.replayCache ?? defaultReplayCache;
  if (typeof cache?.claim !== 'function') throw new TypeError('options.replayCache must have claim(key, expiresAt, now)');
  if (options.currentDate !== undefined && !(options.currentDate instanceof Date && Number.isFinite(options.currentDate.getTime()))) {
    throw new TypeError('options.currentDate must be a valid Date');
  }
  const clockTolerance = options.clockTolerance ?? 5;
  const { decryptWith } = options;
  if (decryptWith !== undefined && !isObject(decryptWith)) throw new TypeError("options.decryptWith must be the viewer's private key");
  const keyManagement = decryptWith && (options.encryptionAlgorithm ?? keyManagementFor(decryptWith));
  return { options, key: key as KeyInput, cache, clockTolerance, tolerance: toleranceSeconds(clockTolerance), decryptWith, keyManagement };
}

/**
 * Verifies a launch token and claims its `jti`. Resolves to the claims, or rejects with a
 * LaunchTokenError whose `code` says why: expired, replayed, wrong audience or issuer, a bad
 * signature, `alg: none` or any algorithm but ES256, anything malformed, and `unavailable` when
 * the replay cache cannot answer. Bad options reject with a TypeError instead.
 */
export async function verifyLaunchToken(token: unknown, given: VerifyLaunchTokenOptions): Promise<LaunchTokenClaims> {
  const { options, key, cache, clockTolerance, tolerance, decryptWith, keyManagement } = readOptions(given);
  try {
    const parts = compactParts(token).length;
    let jws = token as string;
    if (decryptWith) {
      if (parts !== 5) fail('decryption-failed');
      // A compressed JWE lets a small token inflate into a huge one: refuse it before decrypting.
      if (decodeProtectedHeader(jws).zip !== undefined) fail('unsupported-algorithm');
      const { plaintext, protectedHeader } = await compactDecrypt(jws, decryptWith, {
        keyManagementAlgorithms: [keyManagement!],
        contentEncryptionAlgorithms: ['A256GCM'],
      });
      if (protectedHeader.cty?.toUpperCase() !== 'JWT') fail('malformed');
      jws = new TextDecoder().decode(plaintext);
      // The inner JWS meets the same rules as a bare one: the length cap and one spelling.
      if (compactParts(jws).length !== 3) fail('malformed');
    } else if (parts !== 3) {
      fail(parts === 5 ? 'decryption-failed' : 'malformed');
    }
    const { payload, protectedHeader } = await jwtVerify(jws, key, {
      algorithms: ['ES256'],
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance,
      // jose then refuses an `iat` in the future (beyond the tolerance) with its own reading of it.
      maxTokenAge: MAX_TOKEN_LIFETIME_S,
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
      typ: 'JWT',
      requiredClaims: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti'],
    });
    const { iat, exp, nbf, jti, ctx, aud, sub, iss } = payload as Partial<LaunchTokenClaims>;
    // One spelling each: jose also takes "jwt" and "application/jwt", and times in fractions of a second.
    const wholeSeconds = Number.isSafeInteger(iat) && Number.isSafeInteger(exp) && (nbf === undefined || Number.isSafeInteger(nbf));
    const validTimes = wholeSeconds && exp! > iat! && exp! - iat! <= MAX_TOKEN_LIFETIME_S;
    // One audience only: a token good for several viewers could be replayed from one to another.
    const oneViewer = typeof aud === 'string' && typeof sub === 'string' && sub !== '';
    if (protectedHeader.typ !== 'JWT' || !validTimes || !oneViewer || typeof jti !== 'string' || !jti || !isLaunchContext(ctx)) fail('invalid-claims');
    // The cache counts the key's life from this verifier's now, never from its own (Redis's) clock.
    const now = (options.currentDate?.getTime() ?? Date.now()) / 1000;
    const claimKey = await replayKey(iss!, jti!);
    let claimed: unknown;
    try {
      claimed = await cache.claim(claimKey, exp! + tolerance, now);
    } catch {
      // The token may well be good: say the cache is down, never accept, never call it malformed.
      fail('unavailable');
    }
    if (claimed !== true) fail('replayed');
    return payload as LaunchTokenClaims;
  } catch (error) {
    // Whatever went wrong inside, the caller gets one typed refusal and never the token's content.
    throw toLaunchTokenError(error);
  }
}
