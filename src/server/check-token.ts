// The token checker behind `careconnect-launch check-token`: each rule a viewer applies, with pass or
// fail and the fix, for EMR teams on any stack. The verdict is verifyLaunchToken's own.
import {
  compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader,
  type JSONWebKeySet, type JWTPayload, type ProtectedHeaderParameters,
} from 'jose';
import { isLaunchContext } from '../core/launch-context-check.js';
import { isProvinceCode } from '../core/provinces.js';
import { isViewerId } from '../core/viewers.js';
import { compactParts, LaunchTokenError, MAX_TOKEN_LIFETIME_S, verifyLaunchToken, type LaunchTokenErrorCode } from './launch-token.js';
import { MemoryReplayCache } from './replay-cache.js';

export interface TokenRule {
  /** `format`, `alg`, `typ`, `kid`, `signature`, `iss`, `aud`, `sub`, `iat`, `exp`, `nbf`, `lifetime`, `jti`, `ctx`, `ctx.patient.id`, … */
  rule: string;
  ok: boolean;
  /**
   * What was found: a value only when it has its expected shape (a province code, an enum, a time
   * near now, the expected issuer, a known kid), JSON-escaped to printable ASCII; otherwise its shape.
   * The health number, names, birth date and gender are never shown.
   */
  found: string;
  /** What to change, when `ok` is false. */
  fix?: string;
}

export interface TokenCheck {
  accepted: boolean;
  /** The verifier's refusal code and message, when not accepted. */
  code?: LaunchTokenErrorCode;
  message?: string;
  rules: TokenRule[];
}

export interface CheckTokenOptions {
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Check as of this time (the test vectors' fixed "now"); default: now. */
  currentDate?: Date;
}

/** Which values may be shown: a field's value is shown only when it is one of these, never when it is anything else. */
type Shown = (value: unknown) => boolean;
const NEVER: Shown = () => false;
const oneOf = (...values: unknown[]): Shown => (value) => values.includes(value);

/** Each `ctx` field, what it must be, and which of its values may be shown. */
const CTX_FIELDS: ReadonlyArray<[path: string, expected: string, shown: Shown]> = [
  ['healthNumber.province', 'the province code of the health number, upper-case, such as "BC"', isProvinceCode],
  ['healthNumber.value', 'the health number as a string of ASCII digits and upper-case letters, with no spaces or dashes', NEVER],
  ['patient.id', "the EMR's chart id as a string (not a number)", NEVER],
  ['patient.givenName', 'a string, or absent', NEVER],
  ['patient.familyName', 'a string, or absent', NEVER],
  ['patient.birthDate', 'a string YYYY-MM-DD naming a day that exists (no 30 February), or absent', NEVER],
  ['patient.gender', '"female", "male", "other" or "unknown", or absent', NEVER],
  ['location.id', 'a string, or absent', NEVER],
  ['location.province', 'a province code, upper-case, such as "BC", or null', (value) => value === null || isProvinceCode(value)],
  ['user.role', '"provider" or "staff"', oneOf('provider', 'staff')],
  ['network', '"ppn" or "internet"', oneOf('ppn', 'internet')],
];

/** The header values worth naming: any JWS algorithm (the fix names the one allowed), and the usual `typ`s. */
const ALGORITHMS = oneOf('none', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519');
const TYPES: Shown = (value) => typeof value === 'string' && /^(application\/)?(jwt|jose|jose\+json|at\+jwt|dpop\+jwt|secevent\+jwt|logout\+jwt)$/i.test(value);

/** A token's time is shown only within this of the check's "now": a date much further off may be a health number. */
const TIME_WINDOW_S = 86_400;

const TOLERANCE_S = 5;

/** A context that passes, into which one field of the token's is put at a time. */
const REFERENCE_CONTEXT = {
  healthNumber: { province: 'BC', value: '0' }, patient: { id: '0' }, location: { province: 'BC' }, user: { role: 'staff' }, network: 'ppn',
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (value: unknown, key: string) => (isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined);
const at = (value: unknown, path: string) => path.split('.').reduce(own, value);

/** A string as JSON, every character outside printable ASCII escaped: nothing reaches a terminal raw. */
const quote = (text: string) => JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A value's shape, never its content: "a string of 10 characters", "a number", "absent". */
function shape(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
/** The value when `shown` allows it (a string or null), its shape otherwise. */
const show = (value: unknown, shown: Shown) =>
  (typeof value === 'string' || value === null) && shown(value) ? (value === null ? 'null' : quote(value)) : shape(value);

/**
 * Whether `path` alone breaks the context: the sample context with this one field taken from the
 * token must still pass `isLaunchContext`, the rule `createLaunchToken` and the verifier apply.
 */
function fieldPasses(ctx: unknown, path: string): boolean {
  const trial: Record<string, any> = structuredClone(REFERENCE_CONTEXT);
  const [outer, inner] = path.split('.') as [string, string | undefined];
  const value = at(ctx, path);
  const target: Record<string, unknown> = inner === undefined ? trial : trial[outer];
  const key = inner ?? outer;
  if (value === undefined) delete target[key];
  else target[key] = value;
  return isLaunchContext(trial);
}

function ctxRules(ctx: unknown): TokenRule[] {
  const fields = CTX_FIELDS.map(([path, expected, shown]): TokenRule => {
    const value = at(ctx, path);
    const ok = fieldPasses(ctx, path);
    return { rule: `ctx.${path}`, ok, found: show(value, shown), ...(ok ? {} : { fix: `ctx.${path} must be ${expected}` }) };
  });
  const whole = isLaunchContext(ctx);
  return [
    { rule: 'ctx', ok: whole, found: shape(ctx), ...(whole ? {} : { fix: 'ctx must be { healthNumber, patient, location, user, network }, each as below' }) },
    ...fields,
  ];
}

const rule = (name: string, ok: boolean, found: string, fix: string): TokenRule => ({ rule: name, ok, found, ...(ok ? {} : { fix }) });

async function signatureRules(token: string, header: ProtectedHeaderParameters, jwks: JSONWebKeySet): Promise<TokenRule[]> {
  let key;
  const kids = jwks.keys.map((k) => k.kid).filter((kid): kid is string => typeof kid === 'string' && kid !== '');
  const found = show(header.kid, oneOf(...kids));
  try {
    key = await createLocalJWKSet(jwks)({ ...header, alg: 'ES256' });
  } catch {
    return [rule('kid', false, found, `put the kid of the signing key in the header; the JWKS has: ${kids.map(quote).join(', ') || 'none'}`)];
  }
  const kid = rule('kid', true, found, '');
  try {
    await compactVerify(token, key, { algorithms: ['ES256'] });
    return [kid, rule('signature', true, 'verifies', '')];
  } catch {
    return [kid, rule('signature', false, 'does not verify',
      'sign header.payload with the private key of this kid; ES256 signatures are the raw 64-byte r||s (not DER), base64url-encoded')];
  }
}

const nearNow = (seconds: unknown, now: number): seconds is number =>
  typeof seconds === 'number' && Number.isFinite(seconds) && Math.abs(seconds - now) <= TIME_WINDOW_S;

/** A claim's time as people read it, the date and how far it is from the check's "now"; beyond a day, only its shape. */
function when(seconds: unknown, now: number): string {
  if (!nearNow(seconds, now)) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return shape(seconds);
    const milliseconds = nearNow(seconds / 1000, now) ? ' (in milliseconds: give seconds)' : '';
    return `a number more than a day ${seconds < now ? 'before' : 'after'} now${milliseconds}`;
  }
  const distance = Math.abs(seconds - now);
  const span = distance < 120 ? `${distance} s` : distance < 7200 ? `${Math.round(distance / 60)} min` : `${Math.round(distance / 3600)} h`;
  const iso = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  return `${seconds} (${iso}, ${seconds === now ? 'now' : seconds < now ? `${span} ago` : `in ${span}`})`;
}

function claimRules(claims: JWTPayload, { issuer, audience, currentDate }: CheckTokenOptions): TokenRule[] {
  const now = Math.floor((currentDate ?? new Date()).getTime() / 1000);
  const { iss, aud, sub, iat, exp, nbf, jti } = claims;
  const times = typeof iat === 'number' && typeof exp === 'number';
  return [
    rule('iss', iss === issuer, show(iss, oneOf(issuer)), `iss must be exactly ${quote(issuer)}`),
    rule('aud', aud === audience, show(aud, (value) => value === audience || isViewerId(value)), `aud must be the one viewer id ${quote(audience)}, a string, not an array`),
    rule('sub', typeof sub === 'string' && sub !== '', shape(sub), 'sub must be the EMR user\'s id, a non-empty string'),
    rule('iat', Number.isSafeInteger(iat) && iat! <= now + TOLERANCE_S, when(iat, now),
      'iat must be the time of minting, in whole seconds since 1970 (UTC), not in the future'),
    rule('exp', Number.isSafeInteger(exp) && exp! > now - TOLERANCE_S, when(exp, now),
      'exp must be in whole seconds and in the future: mint the token when the user clicks, and present it at once'),
    rule('nbf', nbf === undefined || (Number.isSafeInteger(nbf) && nbf <= now + TOLERANCE_S), when(nbf, now),
      'nbf may be left out; if sent, it must be in whole seconds since 1970 (UTC), not in the future'),
    rule('lifetime', times && exp > iat && exp - iat <= MAX_TOKEN_LIFETIME_S, nearNow(iat, now) && nearNow(exp, now) ? `${exp - iat} s` : 'unknown',
      `exp must come after iat, at most ${MAX_TOKEN_LIFETIME_S} s later (60 s is the usual choice)`),
    rule('jti', typeof jti === 'string' && jti !== '', shape(jti), 'jti must be a fresh random id for each token, such as a UUID'),
  ];
}

/** Every rule, then the verifier's verdict. Never throws for a bad token; throws a TypeError for bad options. */
export async function checkLaunchToken(token: string, options: CheckTokenOptions): Promise<TokenCheck> {
  let refusal: LaunchTokenError | undefined;
  try {
    await verifyLaunchToken(token, { ...options, replayCache: new MemoryReplayCache() });
  } catch (error) {
    if (!(error instanceof LaunchTokenError)) throw error;
    refusal = error;
  }
  const rules: TokenRule[] = [];
  let parts: string[] = [];
  try {
    parts = compactParts(token);
  } catch {
    // reported just below
  }
  const format = parts.length === 3;
  rules.push(rule('format', format, parts.length ? `${parts.length} dot-separated parts, ${token.length} characters` : 'not canonical base64url, or over 16 KB',
    parts.length === 5
      ? 'this is a JWE: check the signed token inside it, before encryption'
      : 'a compact JWS: three base64url parts (no padding, no spaces or line breaks) joined by dots, at most 16 KB'));
  if (format) {
    let header: ProtectedHeaderParameters | undefined;
    let claims: JWTPayload | undefined;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      rules.push(rule('json', false, 'not JSON objects', 'the header and the payload must be JSON objects, UTF-8, base64url-encoded'));
    }
    if (header && claims) {
      rules.push(rule('alg', header.alg === 'ES256', show(header.alg, ALGORITHMS), 'sign with ES256 (ECDSA on P-256 with SHA-256); never none, HS256 or RS256'));
      rules.push(rule('typ', header.typ === 'JWT', show(header.typ, TYPES), 'set the header\'s typ to exactly "JWT", in upper case (not "jwt" or "application/jwt")'));
      if (header.alg === 'ES256') rules.push(...(await signatureRules(token, header, options.jwks)));
      rules.push(...claimRules(claims, options), ...ctxRules(claims.ctx));
    }
  }
  return { accepted: !refusal, ...(refusal ? { code: refusal.code, message: refusal.message } : {}), rules };
}
